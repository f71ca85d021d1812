# Runs one phase of a recipe inside the build sandbox: sh /smech/phase.sh PHASE
# Sourced helpers and defaults for recipes live here, so a RECIPE stays short.
#
# The sandbox (driver.py, sandbox_argv) provides:
#   /recipe   the recipe directory, read-only        /sources  the verified sources, read-only
#   /sysroot  the recipe's makedepends, installed, read-only
#   /build    srcdir (/build/src) and pkgdir (/build/pkg); read-only except pkgdir during package
#   /tmp      private tmpfs; everything else read-only, no network, an unprivileged uid.
# Environment: SOURCE_DATE_EPOCH JOBS MAKEFLAGS CARCH SYSROOT, fixed LC_ALL TZ PATH HOME.
set -eu
umask 022

phase=$1
srcdir=/build/src
pkgdir=/build/pkg
startdir=/recipe
export srcdir pkgdir startdir

msg() { printf '>>> %s: %s\n' "$pkgname" "$*"; }

# default_prepare: unpack every archive source into $srcdir, copy other files there, then apply
# each *.patch / *.diff source to $builddir with patch -p1, in the order the sources are listed.
default_prepare() {
	for _s in $_smech_sources; do
		case $_s in
		*.tar | *.tar.gz | *.tgz | *.tar.bz2 | *.tar.xz | *.tar.zst)
			msg "unpacking $_s"
			tar -xf "/sources/$_s" -C "$srcdir" --no-same-owner
			;;
		*.patch | *.diff) ;;
		*) cp "/sources/$_s" "$srcdir/$_s" ;;
		esac
	done
	for _s in $_smech_sources; do
		case $_s in
		*.patch | *.diff)
			msg "applying $_s"
			patch -d "$builddir" -p1 -N <"/sources/$_s"
			;;
		esac
	done
}

# shellcheck disable=SC1091
. /recipe/RECIPE
: "${builddir:=$srcdir/$pkgname-$pkgver}"
export builddir

cd "$srcdir"
case $phase in
prepare)
	if command -v prepare >/dev/null 2>&1; then prepare; else default_prepare; fi
	;;
build | check | package)
	if command -v "$phase" >/dev/null 2>&1; then
		"$phase"
	else
		msg "no $phase() function, nothing to do"
	fi
	;;
*)
	echo "phase.sh: unknown phase '$phase'" >&2
	exit 2
	;;
esac
