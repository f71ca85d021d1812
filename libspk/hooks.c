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

static const char *const hook_names[SPK_HOOK_COUNT] = {
	".pre-install", ".post-install", ".pre-upgrade", ".post-upgrade", ".pre-remove",
	".post-remove",
};

const char *spk_hook_name(enum spk_hook h)
{
	return hook_names[h];
}

int spk_hook_from_name(const char *name)
{
	for (int i = 0; i < SPK_HOOK_COUNT; i++)
		if (!strcmp(name, hook_names[i]))
			return i;
	return -1;
}

/* Why a child could not run the script, told through a close-on-exec pipe rather than an exit
 * code, so that no exit status of a script can be mistaken for it. */
enum { FAIL_CHROOT = 'c', FAIL_NO_SHELL = 's', FAIL_EXEC = 'x' };

static void child_fail(int fd, char why)
{
	ssize_t unused = write(fd, &why, 1);

	(void)unused;
	_exit(127);
}

int spk_hook_run(struct spk_root *root, const char *pkgname, enum spk_hook hook,
		 const char *script, size_t len, const char *new_version,
		 const char *old_version, struct spk_err *e)
{
	char what[300];
	int pipefd[2], statusfd[2], status;
	pid_t pid;
	size_t off = 0;
	char why = 0;

	snprintf(what, sizeof(what), "%s: %s", pkgname, spk_hook_name(hook));
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return spk_fail(e, -errno, what, NULL);
	if (pipe2(statusfd, O_CLOEXEC) < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return spk_fail(e, -errno, what, NULL);
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		close(statusfd[0]);
		close(statusfd[1]);
		return spk_fail(e, -errno, what, NULL);
	}
	if (pid == 0) {
		char *argv[] = { "sh", "-s", "--", (char *)new_version, (char *)old_version, NULL };
		char *envp[] = { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
				 "HOME=/", "SPK_HOOK=1", NULL };

		if (dup2(pipefd[0], 0) < 0)
			child_fail(statusfd[1], FAIL_EXEC);
		if (!root->is_system_root) {
			if (fchdir(root->fd) < 0 || chroot(".") < 0 || chdir("/") < 0)
				child_fail(statusfd[1], FAIL_CHROOT);
		}
		if (access("/bin/sh", X_OK) < 0)
			child_fail(statusfd[1], FAIL_NO_SHELL);
		execve("/bin/sh", argv, envp);
		child_fail(statusfd[1], FAIL_EXEC);
	}
	close(pipefd[0]);
	close(statusfd[1]);
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
	while (read(statusfd[0], &why, 1) < 0 && errno == EINTR)
		;
	close(statusfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return spk_fail(e, -errno, what, NULL);
	if (why == FAIL_NO_SHELL)
		return 1;
	if (why == FAIL_CHROOT)
		return spk_fail(e, -SPK_EHOOK, what, "cannot chroot into the root to run it");
	if (why == FAIL_EXEC)
		return spk_fail(e, -SPK_EHOOK, what, "cannot run the root's /bin/sh");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		return spk_fail(e, -SPK_EHOOK, what, "exited with status %d", WEXITSTATUS(status));
	return spk_fail(e, -SPK_EHOOK, what, "killed by signal %d", WTERMSIG(status));
}

void spk_hook_skipped(struct spk_root *root, const char *pkg, enum spk_hook h)
{
	char what[300];

	snprintf(what, sizeof(what), "%s: %s", pkg, spk_hook_name(h));
	if (root->on_warning)
		root->on_warning(root->cb_arg, what, "not run: the root has no /bin/sh");
}
