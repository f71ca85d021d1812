/* spk keygen OUTBASE: a new Ed25519 key pair as OUTBASE.pub and OUTBASE.key (minisign formats). */
#include "spk/cli.h"

#include "libcli/report.h"
#include "libspk/buf.h"
#include "libspk/publish_file.h"
#include "libspk/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_keygen(struct cli *cli, int argc, char **argv)
{
	struct spk_buf pubtext = SPK_BUF_INIT, sectext = SPK_BUF_INIT;
	struct spk_sig_pubkey pub;
	struct spk_sig_seckey sec;
	struct spk_err err = {0};
	char pubpath[4096], secpath[4096], id[17];
	int r, rc = 1;

	if (argc != 2 || argv[1][0] == '-')
		return report_usage("spk", "usage: spk keygen OUTBASE");
	if (snprintf(pubpath, sizeof(pubpath), "%s.pub", argv[1]) >= (int)sizeof(pubpath) ||
	    snprintf(secpath, sizeof(secpath), "%s.key", argv[1]) >= (int)sizeof(secpath))
		return report_usage("spk", "keygen: OUTBASE too long");
	/* refuse before writing either file, so a refusal leaves nothing behind */
	if (faccessat(AT_FDCWD, pubpath, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ||
	    faccessat(AT_FDCWD, secpath, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		spk_fail(&err, -EEXIST,
		         faccessat(AT_FDCWD, secpath, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ? secpath
		                                                                      : pubpath,
		         "already exists (not overwritten)");
		return report("spk", &err);
	}
	if (spk_sig_keygen(&pub, &sec, &err) < 0)
		return report("spk", &err);
	r = spk_sig_seckey_format(&sec, &sectext);
	if (r == 0)
		r = spk_sig_pubkey_format(&pub, &pubtext);
	sodium_memzero(&sec, sizeof(sec));
	if (r < 0) {
		spk_fail(&err, r, argv[1], NULL);
		goto out;
	}
	r = spk_publish_file_write(AT_FDCWD, secpath, sectext.data, sectext.len, 0600,
	                           SPK_PUBLISH_FILE_EXCL | SPK_PUBLISH_FILE_SYNC, &err);
	if (r < 0)
		goto out;
	r = spk_publish_file_write(AT_FDCWD, pubpath, pubtext.data, pubtext.len, 0644,
	                           SPK_PUBLISH_FILE_EXCL | SPK_PUBLISH_FILE_SYNC, &err);
	if (r < 0) {
		unlink(secpath); /* ours, written a moment ago: leave no half pair */
		goto out;
	}
	spk_sig_keyid_format(pub.keyid, id);
	if (!cli->quiet)
		printf("%s: key ID %s\n", pubpath, id);
	rc = 0;
out:
	if (sectext.data)
		sodium_memzero(sectext.data, sectext.len);
	spk_buf_release(&sectext);
	spk_buf_release(&pubtext);
	return rc ? report("spk", &err) : 0;
}
