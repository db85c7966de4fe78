// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The changer class's public element functions: read an element or all
 * of them, set one (restoring saved state), and the operator's import
 * and export through an import/export element, which raise 28/01 IMPORT
 * OR EXPORT ELEMENT ACCESSED on every I_T nexus and call ->changed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "smc.h"

static bool is_changer(struct scstu_dev *dev)
{
	return dev && dev->type == SCSTU_TYPE_CHANGER && dev->class_priv;
}

int scstu_changer_get(struct scstu_dev *dev, uint16_t addr,
		      struct scstu_element *e)
{
	struct smc_dev *sd;
	struct smc_elem *se;

	if (!is_changer(dev) || !e)
		return -EINVAL;
	sd = smc_of(dev);
	pthread_mutex_lock(&sd->lock);
	se = smc_find(sd, addr);
	if (se)
		*e = se->e;
	pthread_mutex_unlock(&sd->lock);
	return se ? 0 : -ENOENT;
}

unsigned int scstu_changer_list(struct scstu_dev *dev,
				struct scstu_element *e, unsigned int max)
{
	struct smc_dev *sd;
	unsigned int n;

	if (!is_changer(dev) || !e)
		return 0;
	sd = smc_of(dev);
	pthread_mutex_lock(&sd->lock);
	for (n = 0; n < sd->nr_elems && n < max; n++)
		e[n] = sd->elems[n].e;
	pthread_mutex_unlock(&sd->lock);
	return n;
}

static bool voltag_ok(const char *voltag)
{
	return !voltag || strlen(voltag) <= SCSTU_VOLTAG_LEN;
}

/* Put a medium in (voltag may be "" for none) or take it out. */
static void fill(struct smc_elem *se, bool full, const char *voltag)
{
	struct scstu_element *e = &se->e;

	e->full = full;
	memset(e->voltag, 0, sizeof(e->voltag));
	if (full && voltag)
		memcpy(e->voltag, voltag, strlen(voltag));
	e->source = 0;
	e->source_valid = false;
	se->impexp = full && e->type == SCSTU_ELEM_IMPORT_EXPORT;
}

int scstu_changer_set(struct scstu_dev *dev, uint16_t addr, bool full,
		      const char *voltag, uint16_t source)
{
	struct smc_dev *sd;
	struct smc_elem *se;
	int ret = 0;

	if (!is_changer(dev) || !voltag_ok(voltag))
		return -EINVAL;
	sd = smc_of(dev);
	pthread_mutex_lock(&sd->lock);
	se = smc_find(sd, addr);
	if (!se) {
		ret = -ENOENT;
	} else if (full && source && !smc_find(sd, source)) {
		ret = -EINVAL;
	} else {
		fill(se, full, voltag);
		if (full && source) {
			se->e.source = source;
			se->e.source_valid = true;
		}
	}
	pthread_mutex_unlock(&sd->lock);
	return ret;
}

/* The import/export element at addr, or an error. Lock held. */
static int ie_elem(struct smc_dev *sd, uint16_t addr, struct smc_elem **se)
{
	*se = smc_find(sd, addr);
	if (!*se)
		return -ENOENT;
	if ((*se)->e.type != SCSTU_ELEM_IMPORT_EXPORT)
		return -EINVAL;
	if (smc_prevented(sd))
		return -EPERM;
	return 0;
}

int scstu_changer_import(struct scstu_dev *dev, uint16_t addr,
			 const char *voltag)
{
	struct smc_dev *sd;
	struct smc_elem *se;
	int ret;

	if (!is_changer(dev) || !voltag_ok(voltag))
		return -EINVAL;
	sd = smc_of(dev);
	pthread_mutex_lock(&sd->lock);
	ret = ie_elem(sd, addr, &se);
	if (!ret && se->e.full)
		ret = -EBUSY;
	if (!ret) {
		fill(se, true, voltag);
		smc_changed(dev);
	}
	pthread_mutex_unlock(&sd->lock);
	if (!ret)	/* IMPORT OR EXPORT ELEMENT ACCESSED */
		scstu_dev_raise_ua(dev, 0x28, 0x01, SCSTU_NO_SESSION);
	return ret;
}

int scstu_changer_export(struct scstu_dev *dev, uint16_t addr,
			 char *voltag, size_t size)
{
	struct smc_dev *sd;
	struct smc_elem *se;
	int ret;

	if (!is_changer(dev))
		return -EINVAL;
	sd = smc_of(dev);
	pthread_mutex_lock(&sd->lock);
	ret = ie_elem(sd, addr, &se);
	if (!ret && !se->e.full)
		ret = -EBUSY;
	if (!ret) {
		if (voltag && size)
			snprintf(voltag, size, "%s", se->e.voltag);
		fill(se, false, NULL);
		smc_changed(dev);
	}
	pthread_mutex_unlock(&sd->lock);
	if (!ret)
		scstu_dev_raise_ua(dev, 0x28, 0x01, SCSTU_NO_SESSION);
	return ret;
}
