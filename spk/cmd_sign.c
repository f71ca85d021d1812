/* spk sign --key SECRETKEY [--legacy] [--comment TEXT] FILE: writes FILE.minisig (minisign format).
 * spk sign --verify [--key PUBKEY] FILE: checks FILE.minisig against PUBKEY, or against the trusted
 * keys {root}/etc/spk/keys/NAME.pub, the way spk update checks a channel. */
#include "spk/cli.h"

#include "libcli/report.h"
#include "libspk/buf.h"
#include "libspk/publish_file.h"
#include "libspk/sig.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define SIGNED_FILE_MAX ((size_t)2 << 30) /* GitHub's ceiling on one release asset */

static int verify(struct cli *cli, const char *key, const char *file, const char *sigpath)
{
	struct spk_buf msg, sigtext;
	struct spk_sig_keyring kr = {0};
	struct spk_sig_pubkey pub;
	struct spk_sig sig;
	struct spk_err err = {0};
	char id[17];
	int rootfd = -1, r;

	if (key) {
		r = spk_sig_pubkey_load(&pub, AT_FDCWD, key, &err);
		if (r == 0 && spk_sig_keyring_add(&kr, &pub) < 0)
			r = spk_fail(&err, -ENOMEM, key, NULL);
	} else {
		rootfd = open(cli->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (rootfd < 0)
			r = spk_fail(&err, -errno, cli->root, NULL);
		else
			r = spk_sig_keyring_load(&kr, rootfd, &err);
	}
	if (r < 0) {
		spk_sig_keyring_release(&kr);
		if (rootfd >= 0)
			close(rootfd);
		return report("spk", &err);
	}
	r = spk_publish_file_read(&sigtext, AT_FDCWD, sigpath, SPK_SIG_FILE_MAX, &err);
	if (r == 0)
		r = spk_publish_file_read(&msg, AT_FDCWD, file, SIGNED_FILE_MAX, &err);
	else
		spk_buf_init(&msg, 0);
	if (r == 0)
		r = spk_sig_verify(&kr, msg.data ? msg.data : "", msg.len,
		                   sigtext.data ? sigtext.data : "", sigtext.len, file, &sig, &err);
	spk_buf_release(&msg);
	spk_buf_release(&sigtext);
	spk_sig_keyring_release(&kr);
	if (rootfd >= 0)
		close(rootfd);
	if (r < 0)
		return report("spk", &err);
	spk_sig_keyid_format(sig.keyid, id);
	if (!cli->quiet)
		printf("%s: good signature from key ID %s\ntrusted comment: %s\n", file, id,
		       sig.comment);
	return 0;
}

int cmd_sign(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"key", required_argument, NULL, 'k'},
	    {"legacy", no_argument, NULL, 'l'},
	    {"comment", required_argument, NULL, 'c'},
	    {"verify", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *key = NULL, *comment = NULL, *file;
	struct spk_buf msg, out = SPK_BUF_INIT;
	struct spk_sig_seckey sec;
	struct spk_sig sig;
	struct spk_err err = {0};
	char sigpath[4096], defcomment[SPK_SIG_COMMENT_MAX];
	bool legacy = false, check = false;
	int c, r;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			key = optarg;
			break;
		case 'l':
			legacy = true;
			break;
		case 'c':
			comment = optarg;
			break;
		case 'V':
			check = true;
			break;
		default:
			return report_usage("spk",
			                    "usage: spk sign --key SECRETKEY [--legacy] "
			                    "[--comment TEXT] FILE | --verify [--key PUBKEY] FILE");
		}
	}
	if (optind != argc - 1 || (!check && !key))
		return report_usage("spk", "usage: spk sign --key SECRETKEY [--legacy] [--comment "
		                           "TEXT] FILE | --verify [--key PUBKEY] FILE");
	file = argv[optind];
	if (snprintf(sigpath, sizeof(sigpath), "%s.minisig", file) >= (int)sizeof(sigpath))
		return report_usage("spk", "sign: FILE name too long");
	if (check)
		return verify(cli, key, file, sigpath);

	r = spk_sig_seckey_load(&sec, AT_FDCWD, key, &err);
	if (r < 0)
		return report("spk", &err);
	if (!comment) {
		r = spk_sig_default_comment(defcomment, sizeof(defcomment), file, legacy);
		if (r < 0)
			r = spk_fail(&err, -ENAMETOOLONG, file,
			             "name too long for a trusted comment");
		comment = defcomment;
	}
	spk_buf_init(&msg, 0);
	if (r == 0 && legacy) {
		/* a legacy signature covers the file itself: it has to be in memory */
		r = spk_publish_file_read(&msg, AT_FDCWD, file, SIGNED_FILE_MAX, &err);
		if (r == 0)
			r = spk_sig_sign(&sig, &sec, msg.data ? msg.data : "", msg.len, true,
			                 comment, &err);
	} else if (r == 0) {
		int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);

		if (fd < 0) {
			r = spk_fail(&err, -errno, file, NULL);
		} else {
			r = spk_sig_sign_fd(&sig, &sec, fd, comment, file, &err);
			close(fd);
		}
	}
	sodium_memzero(&sec, sizeof(sec));
	spk_buf_release(&msg);
	if (r == 0 && spk_sig_format(&sig, &out) < 0)
		r = spk_fail(&err, -ENOMEM, sigpath, NULL);
	if (r == 0)
		r = spk_publish_file_write(AT_FDCWD, sigpath, out.data, out.len, 0644,
		                           SPK_PUBLISH_FILE_SYNC, &err);
	spk_buf_release(&out);
	return r < 0 ? report("spk", &err) : 0;
}
