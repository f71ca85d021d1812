/* Shared by install and upgrade: running a repository request with the CLI's progress display. */
#ifndef SPK_REQUEST_CLI_H
#define SPK_REQUEST_CLI_H

#include "spk/cli.h"

#include "libspk/request.h"

/* Opens the root, runs rq (fetch options from the environment), reports; returns the exit code. */
int run_request(struct cli *cli, struct spk_request *rq);

#endif
