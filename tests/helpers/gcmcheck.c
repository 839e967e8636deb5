/* gcmcheck: src/crypto (AES-128, AES-128-GCM) against published vectors, against a slow
 * bit-serial GCM written here from SP 800-38D, and the fast path against the portable one.
 *   gcmcheck nist                         every vector below, through both paths
 *   gcmcheck enc KEY IV AAD PT TAGLEN     prints "CT TAG"
 *   gcmcheck dec KEY IV AAD CT TAG        prints PT; exits 1 (bad-tag) on a mismatch
 *   gcmcheck aes KEY BLOCKS               AES-128 of each 16-byte block (ECB, for openssl)
 *   gcmcheck random N SEED                N random round trips and forgeries
 *   gcmcheck bench                        MB/s decrypting 300-byte messages, both paths
 *   gcmcheck ctgrind                      run under valgrind: secrets steer no branch or
 *                                         address (exits 77 when built without memcheck.h)
 * -p before the mode forces the portable path. Arguments and output are hex; "-" (or an
 * empty argument) is empty and an empty result prints as "-". A test helper: keys on a
 * command line are fine here, never in the tools. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "crypto/aes.h"
#include "crypto/gcm.h"

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define HAVE_MEMCHECK 1
#endif
#endif

#define MAXLEN 4096

static const char *prog = "gcmcheck";

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode s into p (at most cap bytes); the length, or -1. "-" is empty. */
static long
unhex(uint8_t *p, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (strcmp(s, "-") == 0)
		return 0;
	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int a = hexval(s[2 * i]), b = hexval(s[2 * i + 1]);

		if (a < 0 || b < 0)
			return -1;
		p[i] = (uint8_t)(a << 4 | b);
	}
	return (long)(n / 2);
}

static void
puthex(const uint8_t *p, size_t n)
{
	if (n == 0)
		putchar('-');
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/*
 * The reference: SP 800-38D section 6 as written, one bit at a time, for any IV length.
 * It shares only aes128_encrypt() with the code under test, and that is checked on its
 * own (FIPS-197 C.1 here, openssl in tests/crypto.bats).
 */

/* x = x * y, Algorithm 1: Z accumulates V for each set bit of x; V is divided by x each
 * step, folding with R = 11100001 || 0^120 when a bit falls off the right end. */
static void
ref_mul(uint8_t x[16], const uint8_t y[16])
{
	uint8_t z[16] = { 0 }, v[16];

	memcpy(v, y, 16);
	for (int i = 0; i < 128; i++) {
		int lsb = v[15] & 1;

		if ((x[i / 8] >> (7 - i % 8)) & 1)
			for (int j = 0; j < 16; j++)
				z[j] ^= v[j];
		for (int j = 15; j > 0; j--)
			v[j] = (uint8_t)((v[j] >> 1) | (v[j - 1] << 7));
		v[0] >>= 1;
		if (lsb)
			v[0] ^= 0xe1;
	}
	memcpy(x, z, 16);
}

static void
ref_ghash(const uint8_t h[16], uint8_t y[16], const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i += 16) {
		for (size_t j = 0; j < 16 && i + j < n; j++)
			y[j] ^= p[i + j];
		ref_mul(y, h);
	}
}

static void
ref_lengths(const uint8_t h[16], uint8_t y[16], size_t a, size_t c)
{
	uint8_t len[16];

	for (int i = 0; i < 8; i++) {
		len[i] = (uint8_t)((uint64_t)a * 8 >> (56 - 8 * i));
		len[8 + i] = (uint8_t)((uint64_t)c * 8 >> (56 - 8 * i));
	}
	ref_ghash(h, y, len, 16);
}

static void
ref_gcm(const uint8_t key[16], const uint8_t *iv, size_t ivlen, const uint8_t *aad,
    size_t aadlen, const uint8_t *pt, size_t n, uint8_t *ct, uint8_t tag[16])
{
	struct aes128 k;
	uint8_t h[16] = { 0 }, j0[16] = { 0 }, cb[16], ks[16], s[16] = { 0 };

	aes128_init(&k, key);
	aes128_encrypt(&k, h, h);
	if (ivlen == 12) {
		memcpy(j0, iv, 12);
		j0[15] = 1;
	} else {
		ref_ghash(h, j0, iv, ivlen);
		ref_lengths(h, j0, 0, ivlen);
	}
	memcpy(cb, j0, 16);
	for (size_t i = 0; i < n; i++) {
		if (i % 16 == 0) {
			for (int j = 15; j >= 12; j--)	/* inc32 */
				if (++cb[j] != 0)
					break;
			aes128_encrypt(&k, cb, ks);
		}
		ct[i] = pt[i] ^ ks[i % 16];
	}
	ref_ghash(h, s, aad, aadlen);
	ref_ghash(h, s, ct, n);
	ref_lengths(h, s, aadlen, n);
	aes128_encrypt(&k, j0, ks);
	for (int i = 0; i < 16; i++)
		tag[i] = s[i] ^ ks[i];
	aes128_wipe(&k);
}

/*
 * Published vectors. fail = 1: the tag must not verify (gcmDecrypt128 "FAIL"; pt is
 * then unknown). An IV other than 12 bytes goes through the reference only, since the
 * library takes 96-bit IVs.
 */
struct vec {
	const char *name, *key, *iv, *aad, *pt, *ct, *tag;
	int fail;
};

#define K3 "feffe9928665731c6d6a8f9467308308"
#define P3 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95" \
	"956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define A4 "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define C4 "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b2" \
	"5466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
#define GB_EK "000102030405060708090a0b0c0d0e0f"
#define GB_AK "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
#define GB_IV "4d4d4d0000bc614e01234567"
#define GB_APDU "c0010000080000010000ff0200"

static const struct vec vecs[] = {
	/* McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", test cases 1-6
	 * (the 128-bit key ones); 5 and 6 have 8- and 60-byte IVs. */
	{ "gcm-spec TC1", "00000000000000000000000000000000", "000000000000000000000000",
	  "", "", "", "58e2fccefa7e3061367f1d57a4e7455a", 0 },
	{ "gcm-spec TC2", "00000000000000000000000000000000", "000000000000000000000000",
	  "", "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
	  "ab6e47d42cec13bdf53a67b21257bddf", 0 },
	{ "gcm-spec TC3", K3, "cafebabefacedbaddecaf888", "", P3 "1aafd255",
	  C4 "473f5985", "4d5c2af327cd64a62cf35abd2ba6fab4", 0 },
	{ "gcm-spec TC4", K3, "cafebabefacedbaddecaf888", A4, P3, C4,
	  "5bc94fbc3221a5db94fae95ae7121a47", 0 },
	{ "gcm-spec TC5 (8-byte IV, reference)", K3, "cafebabefacedbad", A4, P3,
	  "61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c742373806900e49f24b22b"
	  "097544d4896b424989b5e1ebac0f07c23f4598", "3612d2e79e3b0785561be14aaca2fccb", 0 },
	{ "gcm-spec TC6 (60-byte IV, reference)", K3,
	  "9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fc"
	  "f0e2429a6b525416aedbf5a0de6a57a637b39b", A4, P3,
	  "8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90cc"
	  "dcb281d48c7c6fd62875d2aca417034c34aee5", "619cc5aefffe0bfa462af43c1699d050", 0 },

	/* NIST CAVS gcmEncryptExtIV128.rsp, IVlen 96, Taglen 128. */
	{ "cavs enc PT0 AAD0 #0", "11754cd72aec309bf52f7687212e8957",
	  "3c819d9a9bed087615030b65", "", "", "", "250327c674aaf477aef2675748cf6971", 0 },
	{ "cavs enc PT0 AAD0 #1", "ca47248ac0b6f8372a97ac43508308ed",
	  "ffd2b598feabc9019262d2be", "", "", "", "60d20404af527d248d893ae495707d1a", 0 },
	{ "cavs enc PT0 AAD128 #0", "77be63708971c4e240d1cb79e8d77feb",
	  "e0e00f19fed7ba0136a797f3", "7a43ec1d9c0a5a78a0b16533a6213cab", "", "",
	  "209fcc8d3675ed938e9c7166709dd946", 0 },
	{ "cavs enc PT0 AAD128 #1", "7680c5d3ca6154758e510f4d25b98820",
	  "f8f105f9c3df4965780321f8", "c94c410194c765e3dcc7964379758ed3", "", "",
	  "94dca8edfcf90bb74b153c8d48a17930", 0 },
	{ "cavs enc PT128 AAD0 #0", "7fddb57453c241d03efbed3ac44e371c",
	  "ee283a3fc75575e33efd4887", "", "d5de42b461646c255c87bd2962d3b9a2",
	  "2ccda4a5415cb91e135c2a0f78c9b2fd", "b36d1df9b9d5e596f83e8b7f52971cb3", 0 },
	{ "cavs enc PT128 AAD0 #1", "ab72c77b97cb5fe9a382d9fe81ffdbed",
	  "54cc7dc2c37ec006bcc6d1da", "", "007c5e5b3e59df24a7c355584fc1518d",
	  "0e1bde206a07a9c2c1b65300f8c64997", "2b4401346697138c7a4891ee59867d0c", 0 },
	{ "cavs enc PT128 AAD128", "5c1155084cc0ede76b3bc22e9f7574ef",
	  "9549e4ba69a61cad7856efc1", "e98e9d9c618e46fef32660976f854ee3",
	  "d1448fa852b84408e2dad8381f363de7", "f78b60ca125218493bea1c50a2e12ef4",
	  "d72da7f5c6cf0bca7242c71835809449", 0 },
	{ "cavs enc PT408 AAD160 #0", "fe47fcce5fc32665d2ae399e4eec72ba",
	  "5adb9609dbaeb58cbd6e7275", "88319d6e1d3ffa5f987199166c8a9b56c2aeba5a",
	  "7c0e88c88899a779228465074797cd4c2e1498d259b54390b85e3eef1c02df60e743f1b840382c4bcc"
	  "af3bafb4ca8429bea063",
	  "98f4826f05a265e6dd2be82db241c0fbbbf9ffb1c173aa83964b7cf5393043736365253ddbc5db8778"
	  "371495da76d269e5db3e", "291ef1982e4defedaa2249f898556b47", 0 },
	{ "cavs enc PT408 AAD160 #1", "ec0c2ba17aa95cd6afffe949da9cc3a8",
	  "296bce5b50b7d66096d627ef", "f8d00f05d22bf68599bcdeb131292ad6e2df5d14",
	  "b85b3753535b825cbe5f632c0b843c741351f18aa484281aebec2f45bb9eea2d79d987b764b9611f6c"
	  "0f8641843d5d58f3a242",
	  "a7443d31c26bdf2a1c945e29ee4bd344a99cfaf3aa71f8b3f191f83c2adfc7a07162995506fde6309f"
	  "fc19e716eddf1a828c5a", "890147971946b627c40016da1ecf3e77", 0 },
	{ "cavs enc PT408 AAD720 #0", "2c1f21cf0f6fb3661943155c3e3d8492",
	  "23cb5ff362e22426984d1907",
	  "5d3624879d35e46849953e45a32a624d6a6c536ed9857c613b572b0333e701557a713e3f010ecdf9a6"
	  "bd6c9e3e44b065208645aff4aabee611b391528514170084ccf587177f4488f33cfb5e979e42b6e1cf"
	  "c0a60238982a7aec",
	  "42f758836986954db44bf37c6ef5e4ac0adaf38f27252a1b82d02ea949c8a1a2dbc0d68b5615ba7c12"
	  "20ff6510e259f06655d8",
	  "81824f0e0d523db30d3da369fdc0d60894c7a0a20646dd015073ad2732bd989b14a222b6ad57af43e1"
	  "895df9dca2a5344a62cc", "57a3ee28136e94c74838997ae9823f3a", 0 },
	{ "cavs enc PT408 AAD720 #1", "d9f7d2411091f947b4d6f1e2d1f0fb2e",
	  "e1934f5db57cc983e6b180e7",
	  "0a8a18a7150e940c3d87b38e73baee9a5c049ee21795663e264b694a949822b639092d0e67015e8636"
	  "3583fcf0ca645af9f43375f05fdb4ce84f411dcbca73c2220dea03a20115d2e51398344b16bee1ed7c"
	  "499b353d6c597af8",
	  "73ed042327f70fe9c572a61545eda8b2a0c6e1d6c291ef19248e973aee6c312012f490c2c6f6166f4a"
	  "59431e182663fcaea05a",
	  "aaadbd5c92e9151ce3db7210b8714126b73e43436d242677afa50384f2149b831f1d573c7891c2a91f"
	  "bc48db29967ec9542b23", "21b51ca862cb637cdd03b99a0f93b134", 0 },

	/* gcmEncryptExtIV128.rsp, IVlen 96, Taglen 96. */
	{ "cavs enc PT128 AAD0 T96 #0", "f00fdd018c02e03576008b516ea971ad",
	  "3b3e276f9e98b1ecb7ce6d28", "", "2853e66b7b1b3e1fa3d1f37279ac82be",
	  "55d2da7a3fb773b8a073db499e24bf62", "cba06bb4f6e097199250b0d1", 0 },
	{ "cavs enc PT128 AAD0 T96 #1", "bc8fb606bc51571912ad8732ca4ee7af",
	  "fd4c8432015c5a5def1561c5", "", "bcf430dc33aa27c6b31c377c2d6b0133",
	  "3b864d7c12e8dca51a65b0be202cb8d0", "c90cd06a5fffa615291c2f3b", 0 },
	{ "cavs enc PT128 AAD160 T96", "70fb02388301f16c4193b0fc70683f3f",
	  "aec612be7c1ddb659a4b315c", "3859b3c9d0b42d45c43e8ebd4c8cbde1b6eb2106",
	  "68e6bc0b08b8adbdc00005ae44723c8e", "a7c52a23b09062a1fb77d47ff83a114f",
	  "79f91fa572220432ee3a6495", 0 },
	{ "cavs enc PT408 AAD0 T96", "9aa701eaf1146ae9a8aa14f36294e8e0",
	  "fd78280e023ff4cdcaab5e67", "",
	  "806f21e96bcd6c8ec1b7f688978c0ffd24492cd38eb62361fd73eeffbee4d9f9d7ad32d408ffc67066"
	  "47bc723c620c83020f06",
	  "010428fc5b03162f7e001fd2f4f2d1a8ab13ce97063c82cfe62e7cd5b26551b03a55358857159959ab"
	  "021e7015f370b6fc1f16", "87b981bdd2c37fcc6ff734a9", 0 },

	/* NIST CAVS gcmDecrypt128.rsp, IVlen 96, Taglen 128 (also run with the tag cut to
	 * 96 bits, where the FAIL ones still fail). */
	{ "cavs dec PT0 AAD0 #0", "cf063a34d4a9a76c2c86787d3f96db71",
	  "113b9785971864c83b01c787", "", "", "", "72ac8493e3a5228b5d130a69d2510e42", 0 },
	{ "cavs dec PT0 AAD0 #1 FAIL", "a49a5e26a2f8cb63d05546c2a62f5343",
	  "907763b19b9b4ab6bd4f0281", "", NULL, "", "a2be08210d8c470a8df6e8fbd79ec5cf", 1 },
	{ "cavs dec PT0 AAD128 FAIL", "d1f6af919cde85661208bdce0c27cb22",
	  "898c6929b435017bf031c3c5", "7c5faa40e636bbc91107e68010c92b9f", NULL, "",
	  "ae45f11777540a2caeb128be8092468a", 1 },
	{ "cavs dec PT0 AAD128", "2370e320d4344208e0ff5683f243b213",
	  "04dbb82f044d30831c441228", "d43a8e5089eea0d026c03a85178b27da", "", "",
	  "2a049c049d25aa95969b451d93c31c6e", 0 },
	{ "cavs dec PT128 AAD0 #0", "e98b72a9881a84ca6b76e0f43e68647a",
	  "8b23299fde174053f3d652ba", "", "28286a321293253c3e0aa2704a278032",
	  "5a3c1cf1985dbb8bed818036fdd5ab42", "23c7ab0f952b7091cd324835043b5eb5", 0 },
	{ "cavs dec PT128 AAD0 #1", "33240636cd3236165f1a553b773e728e",
	  "17c4d61493ecdc8f31700b12", "", "95695a5b12f2870b9cc5fdc8f218a97d",
	  "47bb7e23f7bdfe05a8091ac90e4f8b2e", "b723c70e931d9785f40fd4ab1d612dc9", 0 },
	{ "cavs dec PT128 AAD0 FAIL", "5164df856f1e9cac04a79b808dc5be39",
	  "e76925d5355e0584ce871b2b", "", NULL, "0216c899c88d6e32c958c7e553daa5bc",
	  "a145319896329c96df291f64efbe0e3a", 1 },
	{ "cavs dec PT408 AAD160 #0", "af57f42c60c0fc5a09adb81ab86ca1c3",
	  "a2dc01871f37025dc0fc9a79", "41dc38988945fcb44faf2ef72d0061289ef8efd8",
	  "3803a0727eeb0ade441e0ec107161ded2d425ec0d102f21f51bf2cf9947c7ec4aa72795b2f69b04159"
	  "6e8817d0a3c16f8fadeb",
	  "b9a535864f48ea7b6b1367914978f9bfa087d854bb0e269bed8d279d2eea1210e48947338b22f9bad0"
	  "9093276a331e9c79c7f4", "4f71e72bde0018f555c5adcce062e005", 0 },
	{ "cavs dec PT408 AAD160 #1", "ebc753e5422b377d3cb64b58ffa41b61",
	  "2e1821efaced9acf1f241c9b", "b9673412fd4f88ba0e920f46dd6438ff791d8eef",
	  "39077edb35e9c5a4b1e4c2a6b9bb1fce77f00f5023af40333d6d699014c2bcf4209c18353a18017f5b"
	  "36bfc00b1f6dcb7ed485",
	  "069567190554e9ab2b50a4e1fbf9c147340a5025fdbd201929834eaf6532325899ccb9f401823e04b0"
	  "5817243d2142a3589878", "534d9234d2351cf30e565de47baece0b", 0 },
	{ "cavs dec PT408 AAD160 FAIL", "52bdbbf9cf477f187ec010589cb39d58",
	  "d3be36d3393134951d324b31", "93c4fc6a4135f54d640b0c976bf755a06a292c33", NULL,
	  "700188da144fa692cf46e4a8499510a53d90903c967f7f13e8a1bd8151a74adc4fe63e32b992760b3a"
	  "5f99e9a47838867000a9", "8ca4e38aa3dfa6b1d0297021ccf3ea5f", 1 },
	{ "cavs dec PT408 AAD720 #0", "da2bb7d581493d692380c77105590201",
	  "44aa3e7856ca279d2eb020c6",
	  "4cd171b23bddb3a53cdf959d5c1710b481eb3785a90eb20a2345ee00d0bb7868c367ab12e6f4dd1dee"
	  "72af4eee1d197777d1d6499cc541f34edbf45cda6ef90b3c024f9272d72ec1909fb8fba7db88a4d6f7"
	  "d3d925980f9f9f72",
	  "9bbf4c1a2742f6ac80cb4e8a052e4a8f4f07c43602361355b717381edf9fabd4cb7e3ad65dbd1378b1"
	  "96ac270588dd0621f642",
	  "9290d430c9e89c37f0446dbd620c9a6b34b1274aeb6f911f75867efcf95b6feda69f1af4ee16c761b3"
	  "c9aeac3da03aa9889c88", "9e3ac938d3eb0cadd6f5c9e35d22ba38", 0 },
	{ "cavs dec PT408 AAD720 #1", "d74e4958717a9d5c0e235b76a926cae8",
	  "0b7471141e0c70b1995fd7b1",
	  "4a42b7aae8c245c6f1598a395316e4b8484dbd6e64648d5e302021b1d3fa0a38f46e22bd9c8080b863"
	  "dc0016482538a8562a4bd0ba84edbe2697c76fd039527ac179ec5506cf34a6039312774cedebf4961f"
	  "3978b14a26509f96",
	  "840d9fb95e32559fb3602e48590280a172ca36d9b49ab69510f5bd552bfab7a306f85ff0a34bc305b8"
	  "8b804c60b90add594a17",
	  "e701c57d2330bf066f9ff8cf3ca4343cafe4894651cd199bdaaa681ba486b4a65c5a22b0f1420be29e"
	  "a547d42c713bc6af66aa", "e192c23cb036f0b31592989119eed55d", 0 },
	{ "cavs dec PT408 AAD720 FAIL", "1986310c725ac94ecfe6422e75fc3ee7",
	  "93ec4214fa8e6dc4e3afc775",
	  "e80b88e62c49c958b5e0b8b54f532d9ff6aa84c8a40132e93e55b59fc24e8decf28463139f155d1e8c"
	  "e4ee76aaeefcd245baa0fc519f83a5fb9ad9aa40c4b21126013f576c4272c2cb136c8fd091cc453987"
	  "7a5d1e72d607f960", NULL,
	  "b178ec72f85a311ac4168f42a4b2c23113fbea4b85f4b9dabb74e143eb1b8b0a361e0243edfd365b90"
	  "d5b325950df0ada058f9", "8b347853f11d75e81e8a95010be81f17", 1 },
	{ "cavs dec PT104 AAD0 #0", "387218b246c1a8257748b56980e50c94",
	  "dd7e014198672be39f95b69d", "", "48f5b426baca03064554cc2b30",
	  "cdba9e73eaf3d38eceb2b04a8d", "ecf90f4a47c9c626d6fb2c765d201556", 0 },
	{ "cavs dec PT104 AAD0 #1", "294de463721e359863887c820524b3d4",
	  "3338b35c9d57a5d28190e8c9", "", "46a2e55c8e264df211bd112685",
	  "2f46634e74b8e4c89812ac83b9", "dabd506764e68b82a7e720aa18da0abe", 0 },
	{ "cavs dec PT104 AAD0 #2", "28ead7fd2179e0d12aa6d5d88c58c2dc",
	  "5055347f18b4d5add0ae5c41", "", "3b95b981086ee73cc4d0cc1422",
	  "142d8210c3fb84774cdbd0447a", "5fd321d9cdb01952dc85f034736c2a7d", 0 },
	{ "cavs dec PT104 AAD0 FAIL", "7d7b6c988137b8d470c57bf674a09c87",
	  "9edf2aa970d016ac962e1fd8", "", NULL, "a85b66c3cb5eab91d5bdc8bc0e",
	  "dc054efc01f3afd21d9c2484819f569a", 1 },

	/* DLMS UA Green Book, the glo-get-request example: EK, AK, system title
	 * 4D4D4D0000BC614E, invocation counter 01234567, a get-request for the clock. AAD is
	 * SC || AK (|| APDU when only authenticated); DLMS sends 12-byte tags. */
	{ "green book SC=0x10 (GMAC)", GB_EK, GB_IV, "10" GB_AK GB_APDU, "", "",
	  "06725d910f9221d263877516", 0 },
	{ "green book SC=0x20 (no tag)", GB_EK, GB_IV, "", GB_APDU,
	  "411312ff935a47566827c467bc", "", 0 },
	{ "green book SC=0x30", GB_EK, GB_IV, "30" GB_AK, GB_APDU,
	  "411312ff935a47566827c467bc", "7d825c3be4a77c3fcc056b6b", 0 },
};

/* Scratch for one case, static so a run uses no large stack frames. */
static uint8_t key[16], iv[64], aad[MAXLEN], pt[MAXLEN], ct[MAXLEN], tag[16];
static uint8_t out[MAXLEN], out2[MAXLEN], rtag[16], otag[16];
static uint8_t fct[MAXLEN], faad[MAXLEN], ftag[16];
static long ivlen, aadlen, ptlen, ctlen, taglen;

static int
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static int
fail(const char *name, const char *path, const char *what)
{
	printf("%s: %s (%s path): %s\n", prog, name, path, what);
	return 1;
}

/* A decryption that must fail: status -1 and the plaintext buffer zeroed, and not a
 * byte past it touched. NULL when it did, else what went wrong. */
static const char *
rejects(const struct gcm *g, const uint8_t *a, size_t alen, const uint8_t *c, size_t n,
    const uint8_t *t, size_t tlen)
{
	memset(out2, 0xa5, n + 1);
	if (gcm_decrypt(g, iv, a, alen, c, n, out2, t, tlen) != -1)
		return "a forgery was accepted";
	if (!all_zero(out2, n) || out2[n] != 0xa5)
		return "a rejected message left bytes in the plaintext buffer";
	return NULL;
}

static int
check_vec(const struct vec *v, const char *path)
{
	struct gcm g;
	const char *why;
	size_t n;

	if ((ivlen = unhex(iv, sizeof iv, v->iv)) < 0 || unhex(key, 16, v->key) != 16 ||
	    (aadlen = unhex(aad, MAXLEN, v->aad)) < 0 ||
	    (ctlen = unhex(ct, MAXLEN, v->ct)) < 0 || (taglen = unhex(tag, 16, v->tag)) < 0 ||
	    (ptlen = v->pt ? unhex(pt, MAXLEN, v->pt) : ctlen) < 0 || ptlen != ctlen)
		return fail(v->name, path, "malformed vector");
	n = (size_t)ctlen;
	if (v->pt) {
		ref_gcm(key, iv, (size_t)ivlen, aad, (size_t)aadlen, pt, n, out, rtag);
		if (memcmp(out, ct, n) != 0 || memcmp(rtag, tag, (size_t)taglen) != 0)
			return fail(v->name, path, "the reference disagrees");
	}
	if (ivlen != 12)
		return 0;

	gcm_init(&g, key);
	if (v->pt) {
		memset(otag, 0, sizeof otag);
		gcm_encrypt(&g, iv, aad, (size_t)aadlen, pt, n, out, otag, (size_t)taglen);
		if (memcmp(out, ct, n) != 0)
			return fail(v->name, path, "wrong ciphertext");
		if (memcmp(otag, tag, (size_t)taglen) != 0 || !all_zero(otag + taglen,
		    16 - (size_t)taglen))
			return fail(v->name, path, "wrong tag");
		memcpy(out, pt, n);	/* in place */
		gcm_encrypt(&g, iv, aad, (size_t)aadlen, out, n, out, otag, (size_t)taglen);
		if (memcmp(out, ct, n) != 0 || memcmp(otag, tag, (size_t)taglen) != 0)
			return fail(v->name, path, "wrong result in place");
	}
	/* A 16-byte tag is also checked cut to DLMS's 12 bytes. */
	for (int cut = 0; cut < (taglen == 16 ? 2 : 1); cut++) {
		size_t tl = cut ? 12 : (size_t)taglen;

		if (v->fail) {
			if ((why = rejects(&g, aad, (size_t)aadlen, ct, n, tag, tl)) != NULL)
				return fail(v->name, path, why);
			continue;
		}
		memset(out, 0xa5, n);
		if (gcm_decrypt(&g, iv, aad, (size_t)aadlen, ct, n, out, tag, tl) != 0)
			return fail(v->name, path, "a good tag was rejected");
		if (memcmp(out, pt, n) != 0)
			return fail(v->name, path, "wrong plaintext");
		memcpy(out, ct, n);
		if (gcm_decrypt(&g, iv, aad, (size_t)aadlen, out, n, out, tag, tl) != 0 ||
		    memcmp(out, pt, n) != 0)
			return fail(v->name, path, "wrong result in place");
		if (tl > 0) {
			tag[tl - 1] ^= 1;
			why = rejects(&g, aad, (size_t)aadlen, ct, n, tag, tl);
			tag[tl - 1] ^= 1;
			if (why != NULL)
				return fail(v->name, path, why);
		}
		if (tl == 16 && (why = rejects(&g, aad, (size_t)aadlen, ct, n, tag, 17)) != NULL)
			return fail(v->name, path, "taglen 17 was not refused");
	}
	gcm_wipe(&g);
	if (!all_zero((const uint8_t *)&g, sizeof g))
		return fail(v->name, path, "gcm_wipe left key material");
	return 0;
}

/* FIPS-197 Appendix C.1. */
static int
check_fips197(const char *path)
{
	static const uint8_t want[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
		0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
	struct aes128 k;
	uint8_t in[16], got[16];

	for (int i = 0; i < 16; i++) {
		key[i] = (uint8_t)i;
		in[i] = (uint8_t)(0x11 * i);
	}
	aes128_init(&k, key);
	aes128_encrypt(&k, in, got);
	if (memcmp(got, want, 16) != 0)
		return fail("FIPS-197 C.1", path, "wrong ciphertext");
	aes128_wipe(&k);
	if (!all_zero((const uint8_t *)&k, sizeof k))
		return fail("FIPS-197 C.1", path, "aes128_wipe left key material");
	return 0;
}

/* 0 to start with the fast path (when the CPU has it and -p was not given), 1 to run
 * the portable path only. */
static int
first_path(int portable_only)
{
	crypto_force_portable(0);
	return portable_only || !crypto_fast();
}

static const char *
pathname(int p)
{
	return p ? "portable" : "fast";
}

static int
do_nist(int portable_only)
{
	int first = first_path(portable_only), nv = (int)(sizeof vecs / sizeof vecs[0]);

	for (int p = first; p < 2; p++) {
		crypto_force_portable(p);
		if (check_fips197(pathname(p)))
			return 1;
		for (int i = 0; i < nv; i++)
			if (check_vec(&vecs[i], pathname(p)))
				return 1;
	}
	printf("ok %d vectors (%s)\n", nv + 1, first == 0 ? "fast and portable paths" :
	    "portable path only");
	return 0;
}

static uint64_t rng;

/* splitmix64: reproducible from the seed, good enough for test inputs. */
static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void
fill(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)next();
}

static int
do_random(unsigned long count, unsigned long long seed, int portable_only)
{
	/* 12 and 16 are what DLMS and most protocols use; the short ones make sure a
	 * tag of any length is compared in full, and 0 skips the tag. */
	static const int tls[] = { 0, 4, 8, 12, 12, 12, 13, 14, 15, 16, 16 };
	static struct gcm gp, gf;
	unsigned long rejected = 0;
	int first = first_path(portable_only);
	char name[64];

	rng = seed;
	for (unsigned long it = 0; it < count; it++) {
		size_t n = next() % 601, alen = next() % 601;
		size_t tl = (size_t)tls[next() % (sizeof tls / sizeof tls[0])];

		snprintf(name, sizeof name, "round trip %lu (aad %zu, pt %zu, tag %zu)", it, alen,
		    n, tl);
		fill(key, 16);
		fill(iv, 12);
		fill(aad, alen);
		fill(pt, n);
		ref_gcm(key, iv, 12, aad, alen, pt, n, ct, rtag);
		/* Both key setups must give the same struct, whichever path runs later. */
		crypto_force_portable(1);
		gcm_init(&gp, key);
		crypto_force_portable(first);
		gcm_init(&gf, key);
		if (memcmp(&gp, &gf, sizeof gp) != 0)
			return fail(name, "fast", "key setup differs from the portable one");
		for (int p = first; p < 2; p++) {
			const char *pn = pathname(p), *why;
			size_t bit;

			crypto_force_portable(p);
			gcm_encrypt(&gf, iv, aad, alen, pt, n, out, otag, tl);
			if (memcmp(out, ct, n) != 0 || memcmp(otag, rtag, tl) != 0)
				return fail(name, pn, "differs from the reference");
			memset(out2, 0xa5, n);
			if (gcm_decrypt(&gf, iv, aad, alen, out, n, out2, otag, tl) != 0 ||
			    memcmp(out2, pt, n) != 0)
				return fail(name, pn, "decrypt(encrypt(x)) != x");
			memcpy(out2, pt, n);
			gcm_encrypt(&gf, iv, aad, alen, out2, n, out2, otag, tl);
			if (memcmp(out2, ct, n) != 0 ||
			    gcm_decrypt(&gf, iv, aad, alen, out2, n, out2, otag, tl) != 0 ||
			    memcmp(out2, pt, n) != 0)
				return fail(name, pn, "in place differs");
			if (tl == 0)
				continue;
			/* One flipped bit anywhere in what the tag covers, or in the tag. */
			memcpy(fct, out, n);
			memcpy(faad, aad, alen);
			memcpy(ftag, otag, tl);
			bit = (size_t)(next() % ((n + alen + tl) * 8));
			if (bit < n * 8)
				fct[bit / 8] ^= (uint8_t)(1u << bit % 8);
			else if ((bit -= n * 8) < alen * 8)
				faad[bit / 8] ^= (uint8_t)(1u << bit % 8);
			else
				ftag[(bit - alen * 8) / 8] ^= (uint8_t)(1u << bit % 8);
			if ((why = rejects(&gf, faad, alen, fct, n, ftag, tl)) != NULL)
				return fail(name, pn, why);
			rejected++;
		}
	}
	gcm_wipe(&gp);
	gcm_wipe(&gf);
	printf("ok %lu round trips, %lu forgeries rejected (%s)\n", count, rejected,
	    first == 0 ? "fast and portable paths agree with the reference" :
	    "portable path only, agrees with the reference");
	return 0;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int
do_bench(int portable_only)
{
	static struct gcm g;
	int first = first_path(portable_only);

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)(i * 7 + 1);
	memset(iv, 0x42, 12);
	fill(aad, 17);
	fill(pt, 300);
	for (int p = first; p < 2; p++) {
		unsigned long reps = 0, batch = 1000;
		double t0, t;

		crypto_force_portable(p);
		gcm_init(&g, key);
		gcm_encrypt(&g, iv, aad, 17, pt, 300, ct, tag, 12);
		t0 = now();
		do {
			for (unsigned long i = 0; i < batch; i++)
				if (gcm_decrypt(&g, iv, aad, 17, ct, 300, out, tag, 12) != 0)
					return fail("bench", pathname(p), "tag rejected");
			reps += batch;
			t = now() - t0;
		} while (t < 0.5);
		printf("%-8s decrypt, 300-byte messages, 12-byte tag: %.1f MB/s, %.3f us each\n",
		    pathname(p), 300.0 * (double)reps / t / 1e6, t / (double)reps * 1e6);
	}
	gcm_wipe(&g);
	return 0;
}

/*
 * The ctgrind idea: tell memcheck the key, the plaintext and the AAD are undefined, and
 * it reports every branch and every memory address computed from them. Constant-time
 * code gets no report. Decryption runs with taglen 0 here because the one branch that
 * must look at secret-derived data is the tag verdict itself, which is public (it is the
 * return value); ct_memeq, which computes it, is checked on its own.
 */
static int
do_ctgrind(int portable_only)
{
#ifdef HAVE_MEMCHECK
	static struct gcm g;
	int first = first_path(portable_only);

	for (int p = first; p < 2; p++) {
		int eq;

		crypto_force_portable(p);
		fill(key, 16);
		fill(aad, 40);
		fill(pt, 300);
		memset(iv, 7, 12);
		VALGRIND_MAKE_MEM_UNDEFINED(key, 16);
		VALGRIND_MAKE_MEM_UNDEFINED(aad, 40);
		VALGRIND_MAKE_MEM_UNDEFINED(pt, 300);
		gcm_init(&g, key);
		gcm_encrypt(&g, iv, aad, 40, pt, 300, ct, tag, 12);
		gcm_encrypt(&g, iv, aad, 40, NULL, 0, NULL, tag, 16);
		gcm_decrypt(&g, iv, aad, 40, ct, 300, out, NULL, 0);
		aes128_encrypt(&g.aes, pt, out);
		eq = ct_memeq(pt, out, 16);
		VALGRIND_MAKE_MEM_DEFINED(&eq, sizeof eq);
		gcm_wipe(&g);
	}
	printf("ok ctgrind (%s)\n", first == 0 ? "fast and portable paths" :
	    "portable path only");
	return 0;
#else
	(void)portable_only;
	printf("%s: built without valgrind/memcheck.h\n", prog);
	return 77;
#endif
}

static int
usage(void)
{
	fprintf(stderr, "usage: %s [-p] nist | enc KEY IV AAD PT TAGLEN | dec KEY IV AAD CT TAG |"
	    " aes KEY BLOCKS | random N SEED | bench | ctgrind\n", prog);
	return 2;
}

int
main(int argc, char **argv)
{
	int portable = 0;
	struct gcm g;
	char *end;

	if (argc > 1 && strcmp(argv[1], "-p") == 0) {
		portable = 1;
		argv++;
		argc--;
	}
	if (argc < 2)
		return usage();
	crypto_force_portable(portable);
	if (strcmp(argv[1], "nist") == 0 && argc == 2)
		return do_nist(portable);
	if (strcmp(argv[1], "bench") == 0 && argc == 2)
		return do_bench(portable);
	if (strcmp(argv[1], "ctgrind") == 0 && argc == 2)
		return do_ctgrind(portable);
	if (strcmp(argv[1], "random") == 0 && argc == 4) {
		unsigned long count = strtoul(argv[2], &end, 10);

		if (*end)
			return usage();
		return do_random(count, strtoull(argv[3], NULL, 0), portable);
	}
	if (strcmp(argv[1], "aes") == 0 && argc == 4) {
		struct aes128 k;
		long n = unhex(pt, MAXLEN, argv[3]);

		if (unhex(key, 16, argv[2]) != 16 || n < 0 || n % 16)
			return usage();
		aes128_init(&k, key);
		for (long i = 0; i < n; i += 16)
			aes128_encrypt(&k, pt + i, out + i);
		aes128_wipe(&k);
		puthex(out, (size_t)n);
		putchar('\n');
		return 0;
	}
	if (strcmp(argv[1], "enc") == 0 && argc == 7) {
		long tl = strtol(argv[6], &end, 10);

		if (unhex(key, 16, argv[2]) != 16 || unhex(iv, 12, argv[3]) != 12 ||
		    (aadlen = unhex(aad, MAXLEN, argv[4])) < 0 ||
		    (ptlen = unhex(pt, MAXLEN, argv[5])) < 0 || *end || tl < 0 || tl > 16)
			return usage();
		gcm_init(&g, key);
		gcm_encrypt(&g, iv, aad, (size_t)aadlen, pt, (size_t)ptlen, ct, tag, (size_t)tl);
		gcm_wipe(&g);
		puthex(ct, (size_t)ptlen);
		putchar(' ');
		puthex(tag, (size_t)tl);
		putchar('\n');
		return 0;
	}
	if (strcmp(argv[1], "dec") == 0 && argc == 7) {
		int r;

		if (unhex(key, 16, argv[2]) != 16 || unhex(iv, 12, argv[3]) != 12 ||
		    (aadlen = unhex(aad, MAXLEN, argv[4])) < 0 ||
		    (ctlen = unhex(ct, MAXLEN, argv[5])) < 0 ||
		    (taglen = unhex(tag, 16, argv[6])) < 0)
			return usage();
		gcm_init(&g, key);
		r = gcm_decrypt(&g, iv, aad, (size_t)aadlen, ct, (size_t)ctlen, out, tag,
		    (size_t)taglen);
		gcm_wipe(&g);
		if (r != 0) {
			fprintf(stderr, "%s: bad-tag\n", prog);
			return 1;
		}
		puthex(out, (size_t)ctlen);
		putchar('\n');
		return 0;
	}
	return usage();
}
