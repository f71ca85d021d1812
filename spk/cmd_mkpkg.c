/* spk mkpkg DIR OUTDIR: DIR holds .SPKINFO and the file tree. */
#include "spk/cli.h"

#include "libcli/report.h"
#include "libspk/mkpkg.h"

#include <stdio.h>

int cmd_mkpkg(struct cli *cli, int argc, char **argv)
{
	struct spk_err e = { 0 };
	char out[4096];

	if (argc != 3)
		return report_usage("spk", "usage: spk mkpkg DIR OUTDIR");
	if (spk_mkpkg(argv[1], argv[2], out, sizeof(out), &e) < 0)
		return report("spk", &e);
	if (!cli->quiet)
		printf("%s\n", out);
	return 0;
}
