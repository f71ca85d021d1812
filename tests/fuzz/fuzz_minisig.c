/* libFuzzer: minisign files. The input is tried as a signature (parsed, then verified against a
 * fixed trusted key over a fixed message), as a public key and as a secret key. */
#include "libspk/buf.h"
#include "libspk/sig.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char pub[] = "untrusted comment: minisign public key CF1C0C285A5C64E9\n"
                          "RWTpZFxaKAwcz8FdJYH24Ci3PR8O1nZyOnvt2rJh9pBqyDD2Laq6klnH\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spk_sig_keyring kr = {0};
	struct spk_sig_pubkey pk;
	struct spk_sig_seckey sk;
	struct spk_sig sig;
	struct spk_buf out = SPK_BUF_INIT;
	struct spk_err e = {0};
	const char *text = (const char *)data;

	if (spk_sig_pubkey_parse(&pk, pub, strlen(pub), "pub", &e) < 0 ||
	    spk_sig_keyring_add(&kr, &pk) < 0)
		abort();
	if (spk_sig_parse(&sig, text, size, "fuzz", &e) == 0) {
		/* what parses formats to something that parses the same */
		struct spk_sig back;

		if (spk_sig_format(&sig, &out) < 0 ||
		    spk_sig_parse(&back, out.data, out.len, "fuzz", &e) < 0 ||
		    memcmp(back.sig, sig.sig, 64) || strcmp(back.comment, sig.comment) ||
		    back.prehashed != sig.prehashed)
			abort();
	}
	spk_sig_verify(&kr, "hello\n", 6, text, size, "fuzz", NULL, &e);
	spk_sig_pubkey_parse(&pk, text, size, "fuzz", &e);
	spk_sig_seckey_parse(&sk, text, size, "fuzz", &e);
	spk_buf_release(&out);
	spk_sig_keyring_release(&kr);
	return 0;
}
