#include "libcli/progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void progress_init(struct progress *p, bool quiet)
{
	struct winsize ws;

	memset(p, 0, sizeof(*p));
	p->fd = STDERR_FILENO;
	p->on = !quiet && isatty(p->fd);
	p->width = 80;
	if (p->on && ioctl(p->fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		p->width = ws.ws_col;
}

void progress_bytes(char *buf, size_t n, double bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (bytes >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

static void put(struct progress *p, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t k = write(p->fd, s, len);

		if (k <= 0)
			return; /* a progress line is not worth an error */
		s += k;
		len -= (size_t)k;
	}
}

void progress_fetch(void *ctx, const struct spk_fetch_progress *fp)
{
	struct progress *p = ctx;
	char line[512], fdone[32], ftotal[32], done[32], total[32], rate[32], eta[32] = "";
	size_t len;
	int n;

	if (!p->on)
		return;
	if (fp->finished && fp->files_done == fp->files_total) {
		progress_clear(p);
		return;
	}
	progress_bytes(fdone, sizeof(fdone), (double)fp->file_done);
	progress_bytes(ftotal, sizeof(ftotal), (double)fp->file_total);
	progress_bytes(done, sizeof(done), (double)fp->done);
	progress_bytes(total, sizeof(total), (double)fp->total);
	progress_bytes(rate, sizeof(rate), fp->rate);
	if (fp->total > fp->done && fp->rate > 0) {
		double s = (double)(fp->total - fp->done) / fp->rate;

		if (s < 360000)
			snprintf(eta, sizeof(eta), " ETA %d:%02d", (int)s / 60, (int)s % 60);
	}
	n = snprintf(line, sizeof(line), "\r%s %s/%s  [%zu/%zu] %s/%s  %s/s%s", fp->name, fdone,
		     fp->file_total ? ftotal : "?", fp->files_done, fp->files_total, done, total,
		     rate, eta);
	if (n < 0)
		return;
	len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	if (len > p->width) /* one terminal line, or \r cannot redraw it */
		len = p->width;
	put(p, line, len);
	put(p, "\033[K", 3);
	p->drawn = true;
}

void progress_clear(struct progress *p)
{
	if (!p->on || !p->drawn)
		return;
	put(p, "\r\033[K", 4);
	p->drawn = false;
}
