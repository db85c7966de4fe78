// SPDX-License-Identifier: GPL-2.0
/*
 * Cartridge block codecs: lz4 / zstd compression and AES-256-GCM
 * encryption (OpenSSL EVP). The encrypted block layout is
 * in docs/vtl-cartridge.md ("Encrypted blocks").
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <lz4.h>
#include <zstd.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>
#include "cart_priv.h"

#define CART_ZSTD_LEVEL	1
#define CART_KCV_DOMAIN	"scstu-vtl key check v1"

int cart_scratch(uint8_t **buf, size_t *cur, size_t need)
{
	uint8_t *n;

	if (*cur >= need)
		return 0;
	n = realloc(*buf, need);
	if (!n)
		return -ENOMEM;
	*buf = n;
	*cur = need;
	return 0;
}

size_t cart_compress(struct cart *c, const void *src, uint32_t len)
{
	size_t r;
	int n;

	if (len < 2 || cart_scratch(&c->pbuf, &c->pbuf_len, len))
		return 0;
	/* a destination one byte short of len: "not smaller" fails */
	if (c->h.compress == CART_COMPRESS_ZSTD) {
		if (!c->zc) {
			c->zc = ZSTD_createCCtx();
			if (!c->zc)
				return 0;
		}
		r = ZSTD_compressCCtx(c->zc, c->pbuf, len - 1, src, len,
				      CART_ZSTD_LEVEL);
		return ZSTD_isError(r) ? 0 : r;
	}
	n = LZ4_compress_default(src, (char *)c->pbuf, (int)len,
				 (int)len - 1);
	return n > 0 ? (size_t)n : 0;
}

int cart_decompress(struct cart *c, uint8_t alg, const void *src,
		    size_t slen, void *dst, uint32_t len)
{
	size_t r;
	int n;

	if (slen > INT_MAX)
		return -EBADMSG;
	if (alg == CART_F_COMP_ZSTD) {
		if (!c->zd) {
			c->zd = ZSTD_createDCtx();
			if (!c->zd)
				return -ENOMEM;
		}
		r = ZSTD_decompressDCtx(c->zd, dst, len, src, slen);
		return !ZSTD_isError(r) && r == len ? 0 : -EBADMSG;
	}
	if (alg != CART_F_COMP_LZ4)
		return -EBADMSG;
	n = LZ4_decompress_safe(src, dst, (int)slen, (int)len);
	return n >= 0 && (uint32_t)n == len ? 0 : -EBADMSG;
}

void cart_key_check(const struct scstu_tape_key *key, uint8_t *kcv)
{
	uint8_t in[sizeof(CART_KCV_DOMAIN) - 1 + sizeof(key->key)];
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	memcpy(in, CART_KCV_DOMAIN, sizeof(CART_KCV_DOMAIN) - 1);
	memcpy(in + sizeof(CART_KCV_DOMAIN) - 1, key->key, sizeof(key->key));
	if (!EVP_Digest(in, sizeof(in), md, &mdlen, EVP_sha256(), NULL) ||
	    mdlen < CART_KCV_LEN)
		memset(md, 0, CART_KCV_LEN);	/* cannot happen */
	memcpy(kcv, md, CART_KCV_LEN);
	OPENSSL_cleanse(in, sizeof(in));
}

/* AAD: the block prefix, then part, obj, logical length and flags */
static size_t cart_aad(uint8_t *aad, const uint8_t *prefix, size_t plen,
		       unsigned int part, uint64_t obj, uint32_t len,
		       uint8_t flags)
{
	memcpy(aad, prefix, plen);
	cart_put32(aad + plen, part);
	cart_put64(aad + plen + 4, obj);
	cart_put32(aad + plen + 12, len);
	aad[plen + 16] = flags;
	return plen + 17;
}

static int cart_gcm(bool enc, const uint8_t *key, const uint8_t *iv,
		    const uint8_t *aad, size_t aadlen, const uint8_t *in,
		    size_t inlen, uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx;
	int ok, n, f;

	if (inlen > INT_MAX)
		return -EINVAL;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	ok = EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
			       enc) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, CART_IV_LEN,
				 NULL) &&
	     EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, enc) &&
	     EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aadlen) &&
	     (inlen == 0 ||
	      EVP_CipherUpdate(ctx, out, &n, in, (int)inlen));
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
					 CART_TAG_LEN, tag);
	if (ok)
		ok = EVP_CipherFinal_ex(ctx, out + (inlen ? n : 0), &f);
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
					 CART_TAG_LEN, tag);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return enc ? -EIO : -EBADMSG;
	return 0;
}

int cart_encrypt(const struct scstu_tape_key *key, unsigned int part,
		 uint64_t obj, uint32_t len, uint8_t flags,
		 const void *payload, size_t plen, uint8_t *out)
{
	uint8_t aad[CART_EB_FIXED + CART_KAD_MAX + 17];
	size_t hl, aadlen;
	int r;

	if (key->kad_len > CART_KAD_MAX)
		return -EINVAL;
	hl = CART_EB_FIXED + key->kad_len;
	out[0] = CART_EB_VERSION;
	out[1] = key->kad_len;
	cart_put16(out + 2, 0);
	/* a fresh random 96-bit IV per block: never reused, even after an
	 * overwrite at the same position */
	if (RAND_bytes(out + 4, CART_IV_LEN) != 1)
		return -EIO;
	cart_key_check(key, out + 4 + CART_IV_LEN);
	memcpy(out + CART_EB_FIXED, key->kad, key->kad_len);
	aadlen = cart_aad(aad, out, hl, part, obj, len, flags);
	r = cart_gcm(true, key->key, out + 4, aad, aadlen, payload, plen,
		     out + hl, out + hl + plen);
	if (r)
		return r;
	return (int)(hl + plen + CART_TAG_LEN);
}

int cart_decrypt(const struct scstu_tape_key *key, unsigned int part,
		 uint64_t obj, uint32_t len, uint8_t flags,
		 const uint8_t *in, size_t stored, uint8_t *out)
{
	uint8_t aad[CART_EB_FIXED + CART_KAD_MAX + 17];
	uint8_t kcv[CART_KCV_LEN];
	uint8_t tag[CART_TAG_LEN];
	size_t hl, plen, aadlen;
	int r;

	if (stored < CART_EB_FIXED + CART_TAG_LEN || in[0] != CART_EB_VERSION ||
	    in[1] > CART_KAD_MAX || cart_get16(in + 2))
		return -EBADMSG;
	hl = CART_EB_FIXED + in[1];
	if (stored < hl + CART_TAG_LEN)
		return -EBADMSG;
	if (!key)
		return -ENOKEY;
	cart_key_check(key, kcv);
	if (CRYPTO_memcmp(kcv, in + 4 + CART_IV_LEN, CART_KCV_LEN))
		return -EKEYREJECTED;
	plen = stored - hl - CART_TAG_LEN;
	memcpy(tag, in + hl + plen, CART_TAG_LEN);
	aadlen = cart_aad(aad, in, hl, part, obj, len, flags);
	r = cart_gcm(false, key->key, in + 4, aad, aadlen, in + hl, plen,
		     out, tag);
	if (r)
		return r;
	return (int)plen;
}
