/* Hook scripts: POSIX sh, fed on stdin to the root's own /bin/sh, chrooted when the root is
 * not "/" (ARCHITECTURE.md §2). Arguments: $1 the new (or removed) version, $2 the old one. */
#include "libspk/txn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NO_SHELL 127 + 73 /* child's exit code: the root has no /bin/sh */

int spk_hook_run(struct spk_root *root, const char *pkgname, enum spk_hook hook,
		 const char *script, size_t len, const char *new_version,
		 const char *old_version, struct spk_err *e)
{
	char what[300];
	int pipefd[2], status;
	pid_t pid;
	size_t off = 0;

	snprintf(what, sizeof(what), "%s: %s", pkgname, spk_hook_name(hook));
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return spk_fail(e, -errno, what, NULL);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return spk_fail(e, -errno, what, NULL);
	}
	if (pid == 0) {
		char *argv[] = { "sh", "-s", "--", (char *)new_version, (char *)old_version, NULL };
		char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				 "HOME=/", "SPK_HOOK=1", NULL };

		if (dup2(pipefd[0], 0) < 0)
			_exit(126);
		if (strcmp(root->path, "/")) {
			if (fchdir(root->fd) < 0 || chroot(".") < 0 || chdir("/") < 0)
				_exit(126);
		}
		if (access("/bin/sh", X_OK) < 0)
			_exit(NO_SHELL);
		execve("/bin/sh", argv, envp);
		_exit(126);
	}
	close(pipefd[0]);
	signal(SIGPIPE, SIG_IGN);
	while (off < len) {
		ssize_t w = write(pipefd[1], script + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break; /* the shell exited early; its status tells */
		off += (size_t)w;
	}
	close(pipefd[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return spk_fail(e, -errno, what, NULL);
	if (WIFEXITED(status) && WEXITSTATUS(status) == NO_SHELL)
		return 1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
		return spk_fail(e, -SPK_EHOOK, what, "cannot chroot into the root to run it");
	if (WIFEXITED(status))
		return spk_fail(e, -SPK_EHOOK, what, "exited with status %d", WEXITSTATUS(status));
	return spk_fail(e, -SPK_EHOOK, what, "killed by signal %d", WTERMSIG(status));
}
