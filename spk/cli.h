/* What every spk command receives: the global options, parsed once in main.c. */
#ifndef SPK_CLI_H
#define SPK_CLI_H

#include <stdbool.h>

struct cli {
	const char *root; /* --root, default "/" */
	int sync;	  /* --sync: 1 yes, 0 no, -1 unset (yes for "/", no otherwise) */
	bool dry_run;	  /* --dry-run */
	bool quiet;	  /* --quiet */
	unsigned parallel; /* --parallel=N downloads at once; 0 = the default */
};

/* Each command: argv[0] is the command's name; returns the process exit code (0, 1 or 2).
 * One per file, spk/cmd_<name>.c; the table of them is in main.c. */
int cmd_install(struct cli *cli, int argc, char **argv);
int cmd_remove(struct cli *cli, int argc, char **argv);
int cmd_list(struct cli *cli, int argc, char **argv);
int cmd_update(struct cli *cli, int argc, char **argv);
int cmd_upgrade(struct cli *cli, int argc, char **argv);
int cmd_search(struct cli *cli, int argc, char **argv);
int cmd_info(struct cli *cli, int argc, char **argv);
int cmd_files(struct cli *cli, int argc, char **argv);
int cmd_owner(struct cli *cli, int argc, char **argv);
int cmd_verify(struct cli *cli, int argc, char **argv);
int cmd_mkpkg(struct cli *cli, int argc, char **argv);
int cmd_keygen(struct cli *cli, int argc, char **argv);
int cmd_sign(struct cli *cli, int argc, char **argv);
int cmd_index(struct cli *cli, int argc, char **argv);
int cmd_publish(struct cli *cli, int argc, char **argv);
int cmd_cache(struct cli *cli, int argc, char **argv);

#endif
