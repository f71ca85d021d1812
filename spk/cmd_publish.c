/* spk publish [--key PUBKEY] [--repository OWNER/REPO] SNAPSHOTDIR
 * spk publish --to-dir DIR [--key PUBKEY] SNAPSHOTDIR
 *
 * Pushes a snapshot directory written by spk index to the repository's GitHub releases (token in
 * $GITHUB_TOKEN, API at $SPK_GITHUB_API_URL or https://api.github.com), or lays out the same tree
 * under DIR for a mirror. Every asset goes up before SPKCHANNEL, and the snapshot becomes
 * `latest` only after all of them (libspk/publish.h). --key checks SPKCHANNEL.minisig against
 * PUBKEY first, so a snapshot signed with the wrong key is never published. */
#include "spk/cli.h"

#include "libcli/report.h"
#include "libspk/publish.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#define USAGE                                                                                      \
	"usage: spk publish [--to-dir DIR] [--key PUBKEY] [--repository OWNER/REPO] SNAPSHOTDIR"

int cmd_publish(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"to-dir", required_argument, NULL, 'd'},
	    {"key", required_argument, NULL, 'k'},
	    {"repository", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	const char *todir = NULL, *key = NULL, *repo = NULL, *api, *token;
	struct spk_publish_snapshot s;
	struct spk_err err = {0};
	long long id = 0;
	int c, r;

	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			todir = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'r':
			repo = optarg;
			break;
		default:
			return report_usage("spk", USAGE);
		}
	}
	if (optind != argc - 1)
		return report_usage("spk", USAGE);
	if (spk_publish_open(&s, argv[optind], key, &err) < 0)
		return report("spk", &err);
	if (cli->dry_run) {
		/* the upload order, nothing sent */
		for (size_t i = 0; i < s.n; i++)
			printf("%s\n", s.files[i]);
		spk_publish_release(&s);
		return 0;
	}
	token = getenv("GITHUB_TOKEN");
	if (!todir && (!token || !*token)) {
		spk_publish_release(&s);
		return report_msg("spk",
		                  "GITHUB_TOKEN: not set (publishing to GitHub needs a token "
		                  "with contents:write)");
	}
	if (todir) {
		r = spk_publish_to_dir(&s, todir, &err);
	} else {
		api = getenv("SPK_GITHUB_API_URL");
		r = spk_publish_github(&s, api && *api ? api : "https://api.github.com",
		                       repo ? repo : s.channel.repository, token, &id, &err);
	}
	if (r == 0 && !cli->quiet)
		printf("%s: snapshot %s (serial %llu) published, %zu files\n",
		       todir ? todir : (repo ? repo : s.channel.repository), s.channel.snapshot,
		       (unsigned long long)s.channel.serial, s.n);
	spk_publish_release(&s);
	return r < 0 ? report("spk", &err) : 0;
}
