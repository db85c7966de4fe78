// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libscstuser in-process harness transport: runs a device with no kernel.
 *
 * Each submitted command gets its own request and its own data buffer
 * (as the kernel's data area would be): data-out is copied in before
 * ->execute, a data-in buffer starts filled with a poison byte, and
 * xfer_len - resid bytes are copied back to the caller at completion.
 * As in the kernel, a transfer longer than scstu_dev_max_xfer() ends
 * with ILLEGAL REQUEST, 24/00 before the handler sees it, and a request
 * aborted by a TMF reports TASK ABORTED whatever status the handler gave.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include "internal.h"
#include "scstuser_harness.h"

#define HARNESS_POISON		0xa5
#define HARNESS_DEF_MAX_XFER	(32U << 20)

struct scstu_harness {
	pthread_mutex_t lock;
	unsigned int nr_devs;
};

struct hcmd {
	struct scstu_req req;
	struct hcmd *prev, *next;
	const struct scstu_harness_cmd *cmd;
	void (*done)(void *arg, const struct scstu_harness_result *res);
	void *arg;
	struct scstu_harness_result res;
	unsigned int holds;		/* waiters still looking at it */
	bool completed;
	uint8_t *cdb_long;
};

struct hua {
	uint8_t asc, ascq;
};

struct hnexus {
	struct hnexus *next;
	struct scstu_nexus nx;
	char *initiator, *target;
};

struct hdev {
	struct scstu_harness *h;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct hcmd head;		/* outstanding commands */
	unsigned int outstanding;
	uint64_t next_id;
	struct hua *uas;
	size_t nr_uas, cap_uas;
	struct hnexus *nexuses;
	int stop_fd;
	unsigned int early;		/* next commands get SCSTU_REQ_EARLY */
};

static struct hdev *hdev_of(struct scstu_dev *dev)
{
	return dev->tpriv;
}

static void hcmd_free(struct hcmd *hc)
{
	free(hc->req.data);
	free(hc->req.ctx);
	free(hc->cdb_long);
	free(hc);
}

static void harness_complete(struct scstu_req *req)
{
	struct hcmd *hc = (struct hcmd *)req;
	struct hdev *hd = hdev_of(req->dev);
	struct scstu_harness_result *res = &hc->res;

	res->status = req->status;
	res->resid = req->resid;
	res->xfer = req->xfer_len - req->resid;
	res->sense_len = req->status == SCSTU_CHECK_CONDITION ?
			 req->sense_len : 0;
	memcpy(res->sense, req->sense, res->sense_len);
	if (scstu_req_aborted(req)) {
		res->status = SCSTU_TASK_ABORTED;
		res->sense_len = 0;
	}
	if (req->dir == SCSTU_DIR_READ && res->xfer && hc->cmd->data)
		memcpy(hc->cmd->data, req->data, res->xfer);
	if (hc->done)
		hc->done(hc->arg, res);

	pthread_mutex_lock(&hd->lock);
	hc->prev->next = hc->next;
	hc->next->prev = hc->prev;
	hd->outstanding--;
	hc->completed = true;
	pthread_cond_broadcast(&hd->cond);
	if (!hc->holds)
		hcmd_free(hc);
	pthread_mutex_unlock(&hd->lock);
}

static int harness_raise_ua(struct scstu_dev *dev, uint8_t asc, uint8_t ascq,
			    uint64_t except_session)
{
	struct hdev *hd = hdev_of(dev);
	int ret = 0;

	(void)except_session;
	pthread_mutex_lock(&hd->lock);
	if (hd->nr_uas == hd->cap_uas) {
		size_t cap = hd->cap_uas ? hd->cap_uas * 2 : 8;
		struct hua *n = realloc(hd->uas, cap * sizeof(*n));

		if (!n) {
			ret = -ENOMEM;
			goto out;
		}
		hd->uas = n;
		hd->cap_uas = cap;
	}
	hd->uas[hd->nr_uas].asc = asc;
	hd->uas[hd->nr_uas].ascq = ascq;
	hd->nr_uas++;
out:
	pthread_mutex_unlock(&hd->lock);
	return ret;
}

static int harness_set_d_sense(struct scstu_dev *dev, bool desc)
{
	atomic_store(&dev->d_sense, desc);
	return 0;
}

/* scstu_dev_run() on a harness device: wait for scstu_dev_stop(). */
static int harness_run(struct scstu_dev *dev)
{
	struct pollfd pfd = { .fd = hdev_of(dev)->stop_fd, .events = POLLIN };
	uint64_t v;

	while (poll(&pfd, 1, -1) < 0)
		if (errno != EINTR)
			return -errno;
	if (read(pfd.fd, &v, sizeof(v)) < 0)
		return -errno;
	return 0;
}

static void harness_stop(struct scstu_dev *dev)
{
	uint64_t one = 1;

	if (write(hdev_of(dev)->stop_fd, &one, sizeof(one)) < 0)
		return;
}

/* Nothing is ever queued: commands run inside scstu_harness_submit(). */
static int harness_fd(struct scstu_dev *dev)
{
	return hdev_of(dev)->stop_fd;
}

static int harness_process(struct scstu_dev *dev)
{
	(void)dev;
	return 0;
}

static void harness_destroy(struct scstu_dev *dev)
{
	struct hdev *hd = hdev_of(dev);
	struct hnexus *n;

	if (!hd)
		return;
	if (hd->outstanding)
		scstu_log(SCSTU_LOG_ERR,
			  "%s: destroyed with %u commands outstanding",
			  dev->name, hd->outstanding);
	while ((n = hd->nexuses)) {
		hd->nexuses = n->next;
		free(n->initiator);
		free(n->target);
		free(n);
	}
	pthread_mutex_lock(&hd->h->lock);
	hd->h->nr_devs--;
	pthread_mutex_unlock(&hd->h->lock);
	close(hd->stop_fd);
	free(hd->uas);
	pthread_cond_destroy(&hd->cond);
	pthread_mutex_destroy(&hd->lock);
	free(hd);
	dev->tpriv = NULL;
}

static const struct scstu_transport_ops harness_tops = {
	.complete = harness_complete,
	.raise_ua = harness_raise_ua,
	.set_d_sense = harness_set_d_sense,
	.run = harness_run,
	.stop = harness_stop,
	.fd = harness_fd,
	.process = harness_process,
	.destroy = harness_destroy,
};

int scstu_harness_bind(struct scstu_harness *h, struct scstu_dev *dev)
{
	struct hdev *hd = calloc(1, sizeof(*hd));

	if (!hd)
		return -ENOMEM;
	hd->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (hd->stop_fd < 0) {
		free(hd);
		return -errno;
	}
	hd->h = h;
	pthread_mutex_init(&hd->lock, NULL);
	pthread_cond_init(&hd->cond, NULL);
	hd->head.next = hd->head.prev = &hd->head;
	hd->next_id = 1;
	if (!dev->max_xfer)
		dev->max_xfer = dev->data_size ? (uint32_t)dev->data_size :
			HARNESS_DEF_MAX_XFER;
	dev->tops = &harness_tops;
	dev->tpriv = hd;
	pthread_mutex_lock(&h->lock);
	h->nr_devs++;
	pthread_mutex_unlock(&h->lock);
	return 0;
}

struct scstu_harness *scstu_harness_new(void)
{
	struct scstu_harness *h = calloc(1, sizeof(*h));

	if (h)
		pthread_mutex_init(&h->lock, NULL);
	return h;
}

void scstu_harness_free(struct scstu_harness *h)
{
	if (!h)
		return;
	if (h->nr_devs)
		scstu_log(SCSTU_LOG_ERR, "harness freed with %u devices",
			  h->nr_devs);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

/* Build the request of cmd; NULL on allocation failure. */
static struct hcmd *hcmd_new(struct scstu_dev *dev,
			     const struct scstu_harness_cmd *cmd)
{
	struct hcmd *hc = calloc(1, sizeof(*hc));
	struct scstu_req *req;

	if (!hc)
		return NULL;
	req = &hc->req;
	req->dev = dev;
	hc->cmd = cmd;
	if (cmd->cdb_len > SCSTU_CDB_INLINE) {
		hc->cdb_long = malloc(cmd->cdb_len);
		if (!hc->cdb_long)
			goto fail;
		memcpy(hc->cdb_long, cmd->cdb, cmd->cdb_len);
		req->cdb = hc->cdb_long;
	} else {
		memcpy(req->cdb_buf, cmd->cdb, cmd->cdb_len);
		req->cdb = req->cdb_buf;
	}
	req->cdb_len = (uint16_t)cmd->cdb_len;
	req->dir = (uint8_t)cmd->dir;
	req->task_attr = (uint8_t)cmd->task_attr;
	req->xfer_len = cmd->xfer_len;
	req->lun = cmd->lun;
	req->session = cmd->session;
	if (cmd->xfer_len) {
		req->data = malloc(cmd->xfer_len);
		if (!req->data)
			goto fail;
		if (cmd->dir == SCSTU_DIR_WRITE && cmd->data)
			memcpy(req->data, cmd->data, cmd->xfer_len);
		else
			memset(req->data, HARNESS_POISON, cmd->xfer_len);
	}
	if (dev->req_ctx_size) {
		req->ctx = malloc(dev->req_ctx_size);
		if (!req->ctx)
			goto fail;
	}
	scstu_req_reset(req);
	return hc;
fail:
	hcmd_free(hc);
	return NULL;
}

static int harness_start(struct scstu_dev *dev,
			 const struct scstu_harness_cmd *cmd,
			 void (*done)(void *arg,
				      const struct scstu_harness_result *res),
			 void *arg, struct hcmd **hold)
{
	struct hdev *hd = hdev_of(dev);
	struct hcmd *hc;

	if (dev->tops != &harness_tops || !cmd || !cmd->cdb ||
	    !cmd->cdb_len || !dev->ops.execute)
		return -EINVAL;
	if (cmd->xfer_len && !cmd->data && cmd->dir != SCSTU_DIR_NONE)
		return -EINVAL;
	hc = hcmd_new(dev, cmd);
	if (!hc)
		return -ENOMEM;
	hc->done = done;
	hc->arg = arg;
	pthread_mutex_lock(&hd->lock);
	hc->req.id = hd->next_id++;
	if (hd->early) {
		hd->early--;
		atomic_fetch_or(&hc->req.flags, SCSTU_REQ_EARLY);
	}
	hc->next = &hd->head;
	hc->prev = hd->head.prev;
	hd->head.prev->next = hc;
	hd->head.prev = hc;
	hd->outstanding++;
	if (hold) {
		hc->holds++;
		*hold = hc;
	}
	pthread_mutex_unlock(&hd->lock);

	if (cmd->xfer_len > dev->max_xfer)
		scstu_req_check(&hc->req, SCSTU_ILLEGAL_REQUEST, 0x24, 0x00);
	else
		dev->ops.execute(&hc->req);
	return 0;
}

int scstu_harness_submit(struct scstu_dev *dev,
			 const struct scstu_harness_cmd *cmd,
			 void (*done)(void *arg,
				      const struct scstu_harness_result *res),
			 void *arg)
{
	return harness_start(dev, cmd, done, arg, NULL);
}

/* Wait for a held command, drop the hold; hd->lock held. */
static void hcmd_wait_release(struct hdev *hd, struct hcmd *hc)
{
	while (!hc->completed)
		pthread_cond_wait(&hd->cond, &hd->lock);
	if (!--hc->holds)
		hcmd_free(hc);
}

int scstu_harness_run(struct scstu_dev *dev,
		      const struct scstu_harness_cmd *cmd,
		      struct scstu_harness_result *res)
{
	struct hdev *hd = hdev_of(dev);
	struct hcmd *hc;
	int ret = harness_start(dev, cmd, NULL, NULL, &hc);

	if (ret)
		return ret;
	pthread_mutex_lock(&hd->lock);
	while (!hc->completed)
		pthread_cond_wait(&hd->cond, &hd->lock);
	*res = hc->res;
	hcmd_wait_release(hd, hc);
	pthread_mutex_unlock(&hd->lock);
	return 0;
}

void scstu_harness_wait(struct scstu_dev *dev)
{
	struct hdev *hd = hdev_of(dev);

	pthread_mutex_lock(&hd->lock);
	while (hd->outstanding)
		pthread_cond_wait(&hd->cond, &hd->lock);
	pthread_mutex_unlock(&hd->lock);
}

int scstu_harness_abort(struct scstu_dev *dev, uint64_t session,
			enum scstu_reset kind)
{
	struct hdev *hd = hdev_of(dev);
	struct hcmd **list = NULL, *hc;
	unsigned int n = 0, i;
	bool nomem;

	pthread_mutex_lock(&hd->lock);
	if (hd->outstanding)
		list = calloc(hd->outstanding, sizeof(*list));
	nomem = hd->outstanding && !list;
	for (hc = hd->head.next; list && hc != &hd->head; hc = hc->next) {
		if (session != SCSTU_NO_SESSION && hc->req.session != session)
			continue;
		if (atomic_fetch_or(&hc->req.flags, SCSTU_REQ_ABORTED) &
		    (SCSTU_REQ_ABORTED | SCSTU_REQ_COMPLETED))
			continue;
		hc->holds++;
		list[n++] = hc;
	}
	pthread_mutex_unlock(&hd->lock);
	if (nomem)
		return -ENOMEM;

	/* the TMF waits until every aborted command has been answered */
	for (i = 0; i < n && dev->ops.abort; i++)
		dev->ops.abort(&list[i]->req);
	pthread_mutex_lock(&hd->lock);
	for (i = 0; i < n; i++)
		hcmd_wait_release(hd, list[i]);
	pthread_mutex_unlock(&hd->lock);
	free(list);
	if (kind && dev->ops.reset)
		dev->ops.reset(dev, kind, session, 0);
	return (int)n;
}

int scstu_harness_attach(struct scstu_dev *dev, const struct scstu_nexus *nx)
{
	struct hdev *hd = hdev_of(dev);
	struct hnexus *n = calloc(1, sizeof(*n));

	if (!n)
		return -ENOMEM;
	n->nx = *nx;
	n->initiator = strdup(nx->initiator ? nx->initiator : "");
	n->target = strdup(nx->target ? nx->target : "");
	if (!n->initiator || !n->target) {
		free(n->initiator);
		free(n->target);
		free(n);
		return -ENOMEM;
	}
	n->nx.initiator = n->initiator;
	n->nx.target = n->target;
	pthread_mutex_lock(&hd->lock);
	n->next = hd->nexuses;
	hd->nexuses = n;
	pthread_mutex_unlock(&hd->lock);
	if (dev->ops.attach)
		dev->ops.attach(dev, &n->nx);
	return 0;
}

int scstu_harness_detach(struct scstu_dev *dev, uint64_t session,
			 uint64_t lun)
{
	struct hdev *hd = hdev_of(dev);
	struct hnexus **pp, *n = NULL;

	pthread_mutex_lock(&hd->lock);
	for (pp = &hd->nexuses; *pp; pp = &(*pp)->next) {
		if ((*pp)->nx.session == session && (*pp)->nx.lun == lun) {
			n = *pp;
			*pp = n->next;
			break;
		}
	}
	pthread_mutex_unlock(&hd->lock);
	if (!n)
		return -ENOENT;
	if (dev->ops.detach)
		dev->ops.detach(dev, &n->nx);
	free(n->initiator);
	free(n->target);
	free(n);
	return 0;
}

bool scstu_harness_pop_ua(struct scstu_dev *dev, uint8_t *asc, uint8_t *ascq)
{
	struct hdev *hd = hdev_of(dev);
	bool ret = false;

	pthread_mutex_lock(&hd->lock);
	if (hd->nr_uas) {
		*asc = hd->uas[0].asc;
		*ascq = hd->uas[0].ascq;
		memmove(hd->uas, hd->uas + 1,
			--hd->nr_uas * sizeof(*hd->uas));
		ret = true;
	}
	pthread_mutex_unlock(&hd->lock);
	return ret;
}

int scstu_harness_sense_key(const struct scstu_harness_result *res,
			    uint8_t *asc, uint8_t *ascq)
{
	struct scstu_sense s;

	if (res->status != SCSTU_CHECK_CONDITION ||
	    scstu_sense_parse(res->sense, res->sense_len, &s))
		return -1;
	if (asc)
		*asc = s.asc;
	if (ascq)
		*ascq = s.ascq;
	return s.key;
}

void scstu_harness_mark_early(struct scstu_dev *dev, unsigned int n)
{
	struct hdev *hd = hdev_of(dev);

	pthread_mutex_lock(&hd->lock);
	hd->early = n;
	pthread_mutex_unlock(&hd->lock);
}
