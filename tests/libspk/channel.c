/* The channel acceptance rules, case by case: signature, key, rollback, freeze, repository,
 * index digest; and the parser's refusals. */
#include "libspk/channel.h"
#include "libspk/buf.h"
#include "tests/lib/unit.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NOW 1795000000 /* 2026-11-18T11:06:40Z */

struct acase {
	const char *title;
	const char *text; /* channel text */
	int signer; /* 0 trusted key, 1 untrusted key, -1 no signature, 2 signed then text changed
	             */
	bool have_last;
	uint64_t last_serial;
	const char *last_snapshot;
	const char *repository;
	int code;
	const char *why;
};

#define CH(serial, snap, valid)                                                                    \
	"Repository: smech/os\nSnapshot: " snap "\nSerial: " serial                                \
	"\nDate: 2026-11-01T00:00:00Z\nValid-Until: " valid "\nIndex-SHA256: "                     \
	"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\n"

struct pcase {
	const char *title;
	const char *text;
	const char *why;
};

int main(void)
{
	struct spk_sig_pubkey pub, pub2;
	struct spk_sig_seckey sec, sec2;
	struct spk_sig_keyring kr = {0};
	struct spk_channel c;
	struct spk_err e = {0};
	struct spk_buf sigtext = SPK_BUF_INIT, out = SPK_BUF_INIT;
	struct spk_sig sig;
	int64_t t;
	char buf[64];
	int r;

	spk_sig_keygen(&pub, &sec, &e);
	spk_sig_keygen(&pub2, &sec2, &e);
	spk_sig_keyring_add(&kr, &pub);

	const struct acase cases[] = {
	    {"good channel", CH("7", "s7", "2026-12-01T00:00:00Z"), 0, false, 0, NULL, "smech/os",
	     0, NULL},
	    {"first contact, any repository", CH("7", "s7", "2026-12-01T00:00:00Z"), 0, false, 0,
	     NULL, NULL, 0, NULL},
	    {"higher serial", CH("8", "s8", "2026-12-01T00:00:00Z"), 0, true, 7, "s7", "smech/os",
	     0, NULL},
	    {"same serial, same snapshot", CH("7", "s7", "2026-12-01T00:00:00Z"), 0, true, 7, "s7",
	     "smech/os", 0, NULL},
	    {"missing signature", CH("7", "s7", "2026-12-01T00:00:00Z"), -1, false, 0, NULL,
	     "smech/os", -SPK_ESIGNATURE, "missing signature"},
	    {"bad signature", CH("7", "s7", "2026-12-01T00:00:00Z"), 2, false, 0, NULL, "smech/os",
	     -SPK_ESIGNATURE, "bad signature"},
	    {"unknown key", CH("7", "s7", "2026-12-01T00:00:00Z"), 1, false, 0, NULL, "smech/os",
	     -SPK_ESIGNATURE, "unknown key ID"},
	    {"rollback", CH("6", "s6", "2026-12-01T00:00:00Z"), 0, true, 7, "s7", "smech/os",
	     -SPK_EROLLBACK, "lower than the last accepted 7"},
	    {"same serial, other snapshot", CH("7", "evil", "2026-12-01T00:00:00Z"), 0, true, 7,
	     "s7", "smech/os", -SPK_EROLLBACK, "accepted for snapshot s7"},
	    {"expired (freeze)", CH("8", "s8", "2026-11-18T00:00:00Z"), 0, true, 7, "s7",
	     "smech/os", -SPK_EEXPIRED, "expired at 2026-11-18T00:00:00Z"},
	    {"expires this very second", CH("8", "s8", "2026-11-18T11:06:40Z"), 0, false, 0, NULL,
	     "smech/os", -SPK_EEXPIRED, "expired"},
	    {"another repository's channel", CH("8", "s8", "2026-12-01T00:00:00Z"), 0, false, 0,
	     NULL, "smech/other", -SPK_EMISMATCH, "not smech/other"},
	    {"signed but malformed", "Repository: smech/os\nSerial: 1\n", 0, false, 0, NULL,
	     "smech/os", -SPK_EFORMAT, "no Snapshot"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct acase *k = &cases[i];
		struct spk_channel_state st = {k->repository, k->have_last, k->last_serial,
		                               k->last_snapshot, NOW};
		char text[1024];

		snprintf(text, sizeof(text), "%s", k->text);
		spk_buf_reset(&sigtext);
		if (k->signer >= 0) {
			spk_sig_sign(&sig, k->signer == 1 ? &sec2 : &sec, text, strlen(text), false,
			             "timestamp:1\tfile:SPKCHANNEL\thashed", &e);
			spk_sig_format(&sig, &sigtext);
		}
		if (k->signer == 2)
			text[strlen(text) - 2] ^= 1; /* one digit of Index-SHA256 */
		spk_err_clear(&e);
		r = spk_channel_accept(&c, text, strlen(text), sigtext.data, sigtext.len, &kr, &st,
		                       "github:smech/os", &e);
		unit_check(r == k->code && (!k->why || strstr(e.why, k->why)),
		           "%s: r=%d want %d (%s)", k->title, r, k->code, e.why);
	}

	/* index digest: sha256("hello") is the one in CH() */
	spk_channel_parse(&c, CH("1", "s", "2026-12-01T00:00:00Z"),
	                  strlen(CH("1", "s", "2026-12-01T00:00:00Z")), "ch", &e);
	unit_check(spk_channel_check_index(&c, "hello", 5, "SPKINDEX.xz", &e) == 0,
	           "index with the channel's digest accepted");
	unit_check(spk_channel_check_index(&c, "hellO", 5, "SPKINDEX.xz", &e) == -SPK_EMISMATCH &&
	               strstr(e.why, "but the channel says"),
	           "index with another digest refused: %s", e.why);

	/* format then parse is the identity */
	unit_check(spk_channel_format(&c, &out) == 0 &&
	               !strcmp(out.data, CH("1", "s", "2026-12-01T00:00:00Z")),
	           "format reproduces the text");

	const struct pcase bad[] = {
	    {"missing final newline", "Repository: a/b", "final newline"},
	    {"no colon", "Repository a/b\n", "Key: value"},
	    {"bad repository", "Repository: a\n", "bad Repository"},
	    {"repository with two slashes", "Repository: a/b/c\n", "bad Repository"},
	    {"snapshot with a slash", "Snapshot: a/../b\n", "bad Snapshot"},
	    {"negative serial", "Serial: -1\n", "bad Serial"},
	    {"serial with junk", "Serial: 12x\n", "bad Serial"},
	    {"serial overflow", "Serial: 99999999999999999999\n", "bad Serial"},
	    {"date with offset", "Date: 2026-11-01T00:00:00+01:00\n", "bad time"},
	    {"date Feb 30", "Date: 2026-02-30T00:00:00Z\n", "bad time"},
	    {"short digest", "Index-SHA256: abcd\n", "bad Index-SHA256"},
	    {"upper-case digest",
	     "Index-SHA256: 2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824\n",
	     "bad Index-SHA256"},
	    {"duplicate key", "Serial: 1\nSerial: 2\n", "given twice"},
	    {"empty", "", "no Repository"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		spk_err_clear(&e);
		r = spk_channel_parse(&c, bad[i].text, strlen(bad[i].text), "ch", &e);
		unit_check(r == -SPK_EFORMAT && strstr(e.why, bad[i].why), "parse refuses %s (%s)",
		           bad[i].title, e.why);
	}

	/* times */
	unit_check(spk_channel_time_parse("1970-01-01T00:00:00Z", &t) == 0 && t == 0, "epoch");
	unit_check(spk_channel_time_parse("2024-02-29T12:00:00Z", &t) == 0 && t == 1709208000,
	           "leap day 2024");
	unit_check(spk_channel_time_parse("2100-02-29T00:00:00Z", &t) < 0, "2100 is not leap");
	spk_channel_time_format(1795587125, buf, sizeof(buf));
	unit_check(spk_channel_time_parse(buf, &t) == 0 && t == 1795587125, "round trip %s", buf);

	/* the trusted keys of a root: {root}/etc/spk/keys */
	{
		char root[] = "/tmp/spk-channel-test.XXXXXX", path[256];
		const char *good = CH("9", "s9", "2026-12-01T00:00:00Z");
		struct spk_channel_state st = {"smech/os", false, 0, NULL, NOW};
		struct spk_buf pubtext = SPK_BUF_INIT;
		int rootfd;
		FILE *f;

		if (!mkdtemp(root))
			return 1;
		rootfd = open(root, O_RDONLY | O_DIRECTORY);
		spk_buf_reset(&sigtext);
		spk_sig_sign(&sig, &sec, good, strlen(good), false, "c", &e);
		spk_sig_format(&sig, &sigtext);
		r = spk_channel_accept_root(&c, rootfd, good, strlen(good), sigtext.data,
		                            sigtext.len, &st, "r", &e);
		unit_check(r == -SPK_ESIGNATURE && strstr(e.why, "among the 0 trusted keys"),
		           "root without keys: %s", e.why);
		snprintf(path, sizeof(path), "%s/etc", root);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/etc/spk", root);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/etc/spk/keys", root);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/etc/spk/keys/smech.pub", root);
		spk_sig_pubkey_format(&pub, &pubtext);
		f = fopen(path, "w");
		fwrite(pubtext.data, 1, pubtext.len, f);
		fclose(f);
		r = spk_channel_accept_root(&c, rootfd, good, strlen(good), sigtext.data,
		                            sigtext.len, &st, "r", &e);
		unit_check(r == 0 && c.serial == 9, "root with the key: accepted (%s)", e.why);
		snprintf(path, sizeof(path), "%s/etc/spk/keys/broken.pub", root);
		f = fopen(path, "w");
		fputs("junk\n", f);
		fclose(f);
		spk_err_clear(&e);
		r = spk_channel_accept_root(&c, rootfd, good, strlen(good), sigtext.data,
		                            sigtext.len, &st, "r", &e);
		unit_check(r == -SPK_EFORMAT && !strcmp(e.what, "etc/spk/keys/broken.pub"),
		           "a malformed trusted key is an error: %s: %s", e.what, e.why);
		unlink(path);
		snprintf(path, sizeof(path), "%s/etc/spk/keys/smech.pub", root);
		unlink(path);
		snprintf(path, sizeof(path), "%s/etc/spk/keys", root);
		rmdir(path);
		snprintf(path, sizeof(path), "%s/etc/spk", root);
		rmdir(path);
		snprintf(path, sizeof(path), "%s/etc", root);
		rmdir(path);
		rmdir(root);
		close(rootfd);
		spk_buf_release(&pubtext);
	}

	spk_buf_release(&sigtext);
	spk_buf_release(&out);
	spk_sig_keyring_release(&kr);
	return unit_done();
}
