/* Publishing a snapshot directory (what spk index wrote) as a repository release, the safe way
 * (ARCHITECTURE.md §4): every asset first, SPKCHANNEL last, and only then does the snapshot
 * become what `latest` names. A failure at any step leaves `latest` where it was.
 *
 *   GitHub:   create a draft release (REST API), upload each asset but SPKCHANNEL, upload
 *             SPKCHANNEL, then PATCH draft=false make_latest=true, then read back
 *             /releases/latest to confirm it names the snapshot.
 *   Directory (a mirror, nginx): DIR/OWNER/REPO/releases/download/TAG/FILE for each file,
 *             SPKCHANNEL last, then DIR/OWNER/REPO/releases/latest/download/SPKCHANNEL replaced
 *             atomically. A published file is never changed (snapshots are immutable), and a
 *             channel with a lower Serial than the current latest is refused.
 */
#ifndef SPK_PUBLISH_H
#define SPK_PUBLISH_H

#include "libspk/channel.h"
#include "libspk/err.h"

#include <stddef.h>

/* A checked snapshot directory and the files to upload, in upload order: the packages whose
 * Asset-Tag is this snapshot (sorted), SPKINDEX.xz, SPKCHANNEL.minisig, SPKCHANNEL (last). */
struct spk_publish_snapshot {
	int dirfd; /* the snapshot directory, owned */
	struct spk_channel channel;
	char **files;
	size_t n;
};

/* Opens and checks dir: SPKCHANNEL parses, SPKCHANNEL.minisig is present and well-formed (and
 * signed by the key in pubkey_path, when not NULL), SPKINDEX.xz matches Index-SHA256 and parses,
 * and every package the index places in this snapshot is in dir with its SHA-256 and size.
 * -SPK_EFORMAT, -SPK_EMISMATCH, -SPK_ESIGNATURE, -ENOENT naming the file. Release with
 * spk_publish_release(). */
int spk_publish_open(struct spk_publish_snapshot *s, const char *dir, const char *pubkey_path,
                     struct spk_err *e);
void spk_publish_release(struct spk_publish_snapshot *s);

/* The directory layout for a mirror or nginx under root (created as needed). */
int spk_publish_to_dir(const struct spk_publish_snapshot *s, const char *root, struct spk_err *e);

/* GitHub (or anything answering its release endpoints). api_url: "https://api.github.com" or
 * $SPK_GITHUB_API_URL; repository: OWNER/REPO (normally s->channel.repository); token: sent as
 * "Authorization: Bearer" to the API host and to GitHub's upload host only. -SPK_ENETWORK naming
 * the request and the HTTP status (and GitHub's message) on failure. The release's id goes to
 * *release_id when not NULL. TODO(retries): no retry on 5xx/429 yet; a failed run leaves a draft
 * release behind (invisible to clients), to be deleted before publishing the tag again. */
int spk_publish_github(const struct spk_publish_snapshot *s, const char *api_url,
                       const char *repository, const char *token, long long *release_id,
                       struct spk_err *e);

#endif
