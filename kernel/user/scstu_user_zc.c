// SPDX-License-Identifier: GPL-2.0
/*
 * scstu_user: zero copy (SCSTU_USER_F_ZERO_COPY). A queue mapping of a
 * zero-copy connection is a VM_PFNMAP mapping filled by page faults:
 *  - below conn->zc_off (ring, SQ, CQ, copy window) a fault maps the
 *    queue's vmalloc page, once for the life of the mapping;
 *  - in the zero-copy window a fault looks up the command that owns the
 *    chunk and maps all its pages at once (one fault per command, not
 *    per page): read-only for data-out, read-write for data-in.
 * Before such a command completes, its range is zapped in every mapping
 * of the queue (su_zc_zap_locked), so the handler can never reach the
 * pages afterwards. The fault and the zap are ordered by q->zc_mutex:
 * a fault that saw the command live finishes inserting before the zap,
 * and a fault after the reaper claimed it finds it dead (SIGBUS).
 *
 * Why faults and not mapping at dispatch: dispatch runs in atomic
 * context in the submitter's task, where no page table of the handler
 * can be changed; and a null handler that never touches WRITE data costs
 * no fault at all. Why VM_PFNMAP: zap_vma_ptes() works on nothing else,
 * and the initiator's pages may be anonymous (O_DIRECT buffers), which
 * vm_insert_page() refuses. Special PTEs take no page reference and no
 * rmap; the command's own reference (the initiator's) keeps the pages
 * alive until the zap, which precedes completion.
 *
 * Mappings are tracked per queue (struct su_vma). VM_DONTCOPY keeps
 * them out of fork() children, ->may_split refuses partial munmap and
 * mprotect, mremap() goes through ->open/->close. Only the registering
 * process (conn->mm) may map a queue, so one mmap_lock covers every
 * mapping the zap must reach.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/scatterlist.h>
#include <linux/highmem.h>
#include "scstu_compat.h"
#include "scstu_user_priv.h"

struct su_vma {
	struct list_head node;		/* q->vmas */
	struct su_queue *q;
	struct vm_area_struct *vma;
};

/*
 * Can the command's data be given to the handler as whole pages? Every
 * scatterlist entry up to xfer must start on a page and be whole pages,
 * so the handler never sees or writes a byte outside the transfer.
 */
bool su_zc_eligible(const struct scstu_cmd *cmd, u32 xfer)
{
	struct scatterlist *sg;
	unsigned int i;
	u32 left = xfer;

	if (!SU_ZC_POSSIBLE || !xfer || xfer % PAGE_SIZE ||
	    cmd->cdb_len > SCSTU_USER_CDB_INLINE)
		return false;
	for_each_sg(cmd->sgl, sg, cmd->sg_cnt, i) {
		if (sg->offset || sg->length % PAGE_SIZE)
			return false;
		if (sg->length >= left)
			return true;
		left -= sg->length;
	}
	return false;
}

static void su_vma_add(struct su_queue *q, struct vm_area_struct *vma)
{
	struct su_vma *sv = kzalloc(sizeof(*sv), GFP_KERNEL | __GFP_NOFAIL);

	sv->q = q;
	sv->vma = vma;
	vma->vm_private_data = sv;
	mutex_lock(&q->zc_mutex);
	list_add_tail(&sv->node, &q->vmas);
	mutex_unlock(&q->zc_mutex);
}

/* A copy of a mapping (mremap): track it too. mmap_lock held for write. */
static void su_vm_open(struct vm_area_struct *vma)
{
	struct su_vma *old = vma->vm_private_data;

	su_vma_add(old->q, vma);
}

static void su_vm_close(struct vm_area_struct *vma)
{
	struct su_vma *sv = vma->vm_private_data;

	mutex_lock(&sv->q->zc_mutex);
	list_del(&sv->node);
	mutex_unlock(&sv->q->zc_mutex);
	kfree(sv);
}

static int su_vm_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	return -EINVAL;
}

/* A write to a read-only page of the window: a data-out buffer. */
static vm_fault_t su_vm_pfn_mkwrite(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

struct su_zc_fill {
	struct mm_struct *mm;
	struct scatterlist *sg;
	unsigned long pfn;	/* next page of sg */
	u32 left;		/* pages of sg not yet mapped */
	pgprot_t prot;
};

/*
 * One PTE of a command's run. Called under the page-table lock of the
 * range, so the whole run costs one page-table walk and one lock per
 * page table, where vmf_insert_pfn_prot() walks, locks and does a PAT
 * lookup per page. The pages are the initiator's RAM, mapped with the
 * mapping's own (write-back) protection, so no PAT tracking applies.
 * A PTE already present (a second fault on the run that raced the
 * first) maps the same page: leave it.
 */
static int su_zc_fill_pte(pte_t *pte, unsigned long addr, void *data)
{
	struct su_zc_fill *f = data;

	while (!f->left) {
		f->sg = sg_next(f->sg);
		if (!f->sg)
			return -EINVAL;
		f->pfn = page_to_pfn(sg_page(f->sg));
		f->left = f->sg->length / PAGE_SIZE;
	}
	if (pte_none(*pte))
		set_pte_at(f->mm, addr, pte,
			   pte_mkspecial(pfn_pte(f->pfn, f->prot)));
	f->pfn++;
	f->left--;
	return 0;
}

/* Map every page of the command owning @chunk, or SIGBUS. */
static vm_fault_t su_zc_fault(struct su_queue *q, struct vm_area_struct *vma,
			      u32 chunk)
{
	vm_fault_t ret = VM_FAULT_SIGBUS;
	struct scstu_cmd *cmd = NULL;
	struct su_zc_fill f;
	unsigned long base, len;
	u32 first = 0, n = 0;
	struct su_slot *s;
	bool ro = false;
	u32 idx;
	int err;

	mutex_lock(&q->zc_mutex);
	spin_lock_irq(&q->lock);
	idx = chunk < q->nr_chunks ? q->chunk_slot[chunk] : U32_MAX;
	if (idx < q->entries) {
		s = &q->slots[idx];
		if (s->zc && s->state == SU_SLOT_CMD && chunk >= s->chunk &&
		    chunk < s->chunk + s->nr_chunks) {
			cmd = s->cmd;
			s->zc_mapped = true;
			first = s->chunk;
			n = s->nr_chunks;
			ro = s->dir == SCSTU_USER_DIR_WRITE;
		}
	}
	spin_unlock_irq(&q->lock);
	if (!cmd)
		goto out;
	/* the command cannot complete before our unlock: it is zapped first */
	f.mm = vma->vm_mm;
	f.sg = cmd->sgl;
	f.pfn = page_to_pfn(sg_page(f.sg));
	f.left = f.sg->length / PAGE_SIZE;
	f.prot = vm_get_page_prot(ro ? vma->vm_flags & ~VM_WRITE :
				  vma->vm_flags);
	base = vma->vm_start + q->conn->zc_off + (unsigned long)first * PAGE_SIZE;
	len = (unsigned long)n * PAGE_SIZE;
	/* mmap takes the whole queue and no split is allowed: a safeguard */
	if (base + len > vma->vm_end)
		goto out;
	err = apply_to_page_range(f.mm, base, len, su_zc_fill_pte, &f);
	ret = !err ? VM_FAULT_NOPAGE : err == -ENOMEM ? VM_FAULT_OOM :
		VM_FAULT_SIGBUS;
out:
	mutex_unlock(&q->zc_mutex);
	return ret;
}

static vm_fault_t su_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct su_vma *sv = vma->vm_private_data;
	struct su_queue *q = sv->q;
	unsigned long off = vmf->address - vma->vm_start;

	if (off < q->conn->zc_off)
		return vmf_insert_pfn_prot(vma, vmf->address,
					   vmalloc_to_pfn(q->mem + off),
					   vm_get_page_prot(vma->vm_flags));
	return su_zc_fault(q, vma, (off - q->conn->zc_off) >> PAGE_SHIFT);
}

static const struct vm_operations_struct su_zc_vm_ops = {
	.open		= su_vm_open,
	.close		= su_vm_close,
	.may_split	= su_vm_may_split,
	.fault		= su_vm_fault,
	.pfn_mkwrite	= su_vm_pfn_mkwrite,
};

/* ->mmap of a zero-copy connection's queue (conn->mutex held). */
int su_zc_mmap(struct su_queue *q, struct vm_area_struct *vma)
{
	if (current->mm != q->conn->mm)
		return -EINVAL;
	vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP |
		     VM_DONTCOPY);
	vma->vm_ops = &su_zc_vm_ops;
	su_vma_add(q, vma);
	return 0;
}

void su_zc_lock(struct su_queue *q)
{
	mmap_read_lock(q->conn->mm);
	mutex_lock(&q->zc_mutex);
}

void su_zc_unlock(struct su_queue *q)
{
	mutex_unlock(&q->zc_mutex);
	mmap_read_unlock(q->conn->mm);
}

/* Unmap chunks [chunk, chunk + nr) of the window (nr 0: all of it). */
void su_zc_zap_locked(struct su_queue *q, u32 chunk, u32 nr)
{
	unsigned long off = q->conn->zc_off + (unsigned long)chunk * PAGE_SIZE;
	unsigned long len = (unsigned long)(nr ? nr : q->nr_chunks) * PAGE_SIZE;
	struct su_vma *sv;

	if (!nr)
		off = q->conn->zc_off;
	list_for_each_entry(sv, &q->vmas, node)
		zap_vma_ptes(sv->vma, sv->vma->vm_start + off, len);
}
