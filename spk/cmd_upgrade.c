/* spk upgrade [NAME...]: everything (or the names) to the newest available, one transaction. */
#include "spk/request_cli.h"

#include "libcli/report.h"

int cmd_upgrade(struct cli *cli, int argc, char **argv)
{
	struct spk_request rq = { .kind = SPK_REQ_UPGRADE };

	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-')
			return report_usage("spk", "upgrade: unknown option '%s'", argv[i]);
	rq.targets = (const char *const *)argv + 1;
	rq.n_targets = (size_t)argc - 1;
	return run_request(cli, &rq);
}
