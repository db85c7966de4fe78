// SPDX-License-Identifier: GPL-2.0
/*
 * scstu core: unit attention queues, one per I_T_L nexus (SAM-5 5.14).
 * Queues live in struct scstu_tgt_dev and are protected by the device lock.
 */
#include <linux/module.h>
#include "scstu_priv.h"

void scstu_ua_add_locked(struct scstu_tgt_dev *td, u8 asc, u8 ascq)
{
	u16 ua = asc << 8 | ascq;
	unsigned int i;

	for (i = 0; i < td->nr_ua; i++)
		if (td->ua[i] == ua)
			return;
	if (td->nr_ua == SCSTU_UA_MAX) {
		/* queue full: keep the oldest, report the newest last */
		td->ua[SCSTU_UA_MAX - 1] = ua;
		return;
	}
	td->ua[td->nr_ua] = ua;
	WRITE_ONCE(td->nr_ua, td->nr_ua + 1);
}

void scstu_ua_add(struct scstu_tgt_dev *td, u8 asc, u8 ascq)
{
	unsigned long flags;

	spin_lock_irqsave(&td->dev->lock, flags);
	scstu_ua_add_locked(td, asc, ascq);
	spin_unlock_irqrestore(&td->dev->lock, flags);
}

bool scstu_ua_pop_locked(struct scstu_tgt_dev *td, u8 *asc, u8 *ascq)
{
	if (!td->nr_ua)
		return false;
	*asc = td->ua[0] >> 8;
	*ascq = td->ua[0] & 0xff;
	memmove(&td->ua[0], &td->ua[1], (td->nr_ua - 1) * sizeof(td->ua[0]));
	WRITE_ONCE(td->nr_ua, td->nr_ua - 1);
	return true;
}

void scstu_ua_clear_locked(struct scstu_tgt_dev *td, u8 asc, u8 ascq)
{
	u16 ua = asc << 8 | ascq;
	unsigned int i;

	for (i = 0; i < td->nr_ua; i++) {
		if (td->ua[i] != ua)
			continue;
		memmove(&td->ua[i], &td->ua[i + 1],
			(td->nr_ua - i - 1) * sizeof(td->ua[0]));
		WRITE_ONCE(td->nr_ua, td->nr_ua - 1);
		return;
	}
}

void scstu_dev_ua(struct scstu_dev *dev, struct scstu_session *except,
		  u8 asc, u8 ascq)
{
	struct scstu_tgt_dev *td;
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	list_for_each_entry(td, &dev->tgt_devs, dev_node)
		if (td->sess != except)
			scstu_ua_add_locked(td, asc, ascq);
	spin_unlock_irqrestore(&dev->lock, flags);
}
EXPORT_SYMBOL_GPL(scstu_dev_ua);

/* A unit attention on every LUN of a session. Caller holds tgt->lock. */
void scstu_sess_ua(struct scstu_session *sess, u8 asc, u8 ascq)
{
	struct scstu_tgt_dev *td;
	unsigned long idx;

	xa_for_each(&sess->tgt_devs, idx, td)
		scstu_ua_add(td, asc, ascq);
}
