// SPDX-License-Identifier: GPL-2.0
/*
 * CRC32C of cartridge blocks (docs/vtl-cartridge.md): the Castagnoli
 * polynomial, reflected, initial value and final xor 0xffffffff.
 *
 * Three routines compute the same CRC:
 *  - ISA-L's crc32_iscsi, which uses the CPU's crc32 and pclmulqdq
 *    instructions where present: tens of GB/s on hardware;
 *  - ISA-L's crc32_iscsi_base, one table lookup per byte;
 *  - crc_slice8 below, eight tables and eight bytes per step.
 * Where those instructions are emulated (qemu TCG, where the crc32
 * instruction costs a loop over its 64 bits) the instruction routine is
 * the slowest of the three by far, and slice-by-8 is about three times
 * faster than ISA-L's byte-wise table. ISA-L offers no wider table
 * routine, hence the one here. As the kernel does for its xor and raid6
 * routines, the three are timed once on this CPU (at the first CRC) and
 * the fastest is used from then on.
 */
#include <endian.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <isa-l/crc.h>
#include "cart_priv.h"

#define CRC32C_POLY_REFLECTED	0x82f63b78u

/* every routine works on the register as ISA-L does: no inversions */
typedef unsigned int (*crc_fn)(unsigned char *, int, unsigned int);

static uint32_t crc_tab[8][256];
static crc_fn cart_crc_impl = crc32_iscsi;
static const char *cart_crc_name = "ISA-L crc32_iscsi (instructions)";
static pthread_once_t cart_crc_once = PTHREAD_ONCE_INIT;

static void crc_tab_init(void)
{
	uint32_t c;
	unsigned int i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY_REFLECTED : c >> 1;
		crc_tab[0][i] = c;
	}
	/* crc_tab[k][b]: byte b followed by k zero bytes */
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			crc_tab[k][i] = (crc_tab[k - 1][i] >> 8) ^
					crc_tab[0][crc_tab[k - 1][i] & 0xff];
}

static unsigned int crc_slice8(unsigned char *p, int len, unsigned int crc)
{
	size_t n = (size_t)len;
	uint64_t v;

	for (; n && ((uintptr_t)p & 7); n--)
		crc = (crc >> 8) ^ crc_tab[0][(crc ^ *p++) & 0xff];
	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&v, p, 8);
		v = le64toh(v) ^ crc;
		crc = crc_tab[7][v & 0xff] ^ crc_tab[6][(v >> 8) & 0xff] ^
		      crc_tab[5][(v >> 16) & 0xff] ^
		      crc_tab[4][(v >> 24) & 0xff] ^
		      crc_tab[3][(v >> 32) & 0xff] ^
		      crc_tab[2][(v >> 40) & 0xff] ^
		      crc_tab[1][(v >> 48) & 0xff] ^ crc_tab[0][v >> 56];
	}
	for (; n; n--)
		crc = (crc >> 8) ^ crc_tab[0][(crc ^ *p++) & 0xff];
	return crc;
}

static double crc_time(crc_fn f, unsigned char *buf, int len)
{
	struct timespec a, b;
	unsigned int i, c = 0;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < 4; i++)
		c += f(buf, len, c);
	clock_gettime(CLOCK_MONOTONIC, &b);
	/* c keeps the calls from being optimized away */
	return (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec -
	       a.tv_nsec) + (c & 1) * 1e-9;
}

static void cart_crc_pick(void)
{
	static const crc_fn cand[] = { crc32_iscsi_base, crc_slice8 };
	static const char *const name[] = {
		"ISA-L crc32_iscsi_base (byte table)", "slice-by-8 tables"
	};
	static unsigned char buf[64 << 10];
	double best, t;
	size_t i;

	crc_tab_init();
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	crc_time(crc32_iscsi, buf, sizeof(buf));	/* warm up */
	best = crc_time(crc32_iscsi, buf, sizeof(buf));
	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		t = crc_time(cand[i], buf, sizeof(buf));
		if (t < best) {
			best = t;
			cart_crc_impl = cand[i];
			cart_crc_name = name[i];
		}
	}
}

uint32_t cart_crc32c_more(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	pthread_once(&cart_crc_once, cart_crc_pick);
	/* chunks for the routines' int length */
	crc = ~crc;
	while (len) {
		size_t n = len > (1u << 30) ? (1u << 30) : len;

		crc = cart_crc_impl((unsigned char *)p, (int)n, crc);
		p += n;
		len -= n;
	}
	return ~crc;
}

uint32_t cart_crc32c(const void *buf, size_t len)
{
	return cart_crc32c_more(0, buf, len);
}

const char *cart_crc32c_routine(void)
{
	pthread_once(&cart_crc_once, cart_crc_pick);
	return cart_crc_name;
}

/* for the unit tests: each routine on its own */
uint32_t cart_crc32c_with(int which, const void *buf, size_t len)
{
	static const crc_fn all[] = {
		crc32_iscsi, crc32_iscsi_base, crc_slice8
	};

	pthread_once(&cart_crc_once, cart_crc_pick);
	if (which < 0 || which > 2)
		return 0;
	return ~all[which]((unsigned char *)buf, (int)len, 0xffffffffu);
}
