#!/usr/bin/env bash
# Builds the runtime base of both Tollgate images as a docker-archive tar (images/base/target/base.tar), with no
# container engine and no image registry: Debian's C library from Debian packages (mmdebstrap, extract only: no
# shell, no package manager, no maintainer scripts) plus a Java 25 runtime cut from the local JDK by jlink.
# Jib takes the tar as `-Djib.from.image=tar://…` (the `images` profile's default). Release builds use a registry
# base pinned by digest instead (see docs/install.md).
#
# Needs: root or fakeroot-free mmdebstrap (Debian package `mmdebstrap`), a JDK 25 in JAVA_HOME, network access to the
# Debian archive. Output is reproducible for the same package versions and JDK: fixed timestamps, sorted entries.
set -euo pipefail
cd "$(dirname "$0")"

SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1704067200} # 2024-01-01T00:00:00Z, fixed so the tar is reproducible
export SOURCE_DATE_EPOCH
# Modules of the runtime: what the gateway's and the operator's dependencies use (jdeps over both classpaths), plus
# jcmd/JFR for diagnosing a running pod with `kubectl exec … jcmd 1 …`.
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.attach,jdk.crypto.ec,\
jdk.httpserver,jdk.jcmd,jdk.jfr,jdk.localedata,jdk.management,jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.unsupported,\
jdk.zipfs

JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
version=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
if [ "${version%%.*}" != 25 ]; then
  echo "images/base/build.sh: JAVA_HOME=$JAVA_HOME is Java $version; the images run Java 25" >&2
  exit 1
fi
if ! command -v mmdebstrap >/dev/null 2>&1; then
  echo "images/base/build.sh: mmdebstrap is missing (apt-get install mmdebstrap)" >&2
  exit 1
fi
case "$(dpkg --print-architecture)" in
  amd64) arch=amd64 ;;
  arm64) arch=arm64 ;;
  *) echo "images/base/build.sh: unsupported architecture $(dpkg --print-architecture)" >&2; exit 1 ;;
esac

rm -rf target && mkdir -p target/work
root=target/work/rootfs

# Debian: the C library and what it needs, extracted only. Java brings its own zlib, CA certificates and time zones.
# Extracting registers nothing with dpkg: the hook writes its status file from the packages themselves, so image
# scanners (Trivy, Grype, syft) see exactly which Debian packages and versions the image holds.
status_hook='mkdir -p "$1/var/lib/dpkg"; for deb in "$1"/var/cache/apt/archives/*.deb; do
  dpkg-deb -f "$deb" Package Priority Section Installed-Size Maintainer Architecture Multi-Arch Source Version \
    Depends Pre-Depends Homepage | sed "1a Status: install ok installed"; echo; done >"$1/var/lib/dpkg/status"'
mmdebstrap --quiet --variant=extract --include=libc6,libgcc-s1,netbase --architectures="$arch" \
  --extract-hook="$status_hook" \
  "$SUITE" "$root" "$MIRROR" "deb $MIRROR-security $SUITE-security main" 2>target/work/mmdebstrap.log
rm -rf "$root"/usr/share/man "$root"/usr/share/info "$root"/usr/share/lintian "$root"/usr/share/locale \
  "$root"/var/cache/* "$root"/var/log/* "$root"/var/lib/apt "$root"/etc/apt "$root"/dev/*

# Java 25 runtime.
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --output "$root/opt/java/openjdk"

# Users (numeric 65532 runs the apps, as in distroless' nonroot), name service, writable places.
mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot" "$root/var/lib/tollgate"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
chmod 1777 "$root/tmp"
chown 65532:65532 "$root/home/nonroot" "$root/var/lib/tollgate"
chmod 0750 "$root/home/nonroot" "$root/var/lib/tollgate"
for shell in bin/sh bin/bash bin/dash usr/bin/sh usr/bin/bash usr/bin/dash; do
  if [ -e "$root/$shell" ]; then echo "images/base/build.sh: a shell ($shell) got into the base" >&2; exit 1; fi
done

# One layer, reproducible: sorted names, fixed times, numeric owners.
layer=target/work/layer.tar
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --clamp-mtime --numeric-owner --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$root" -cf "$layer" .
layer_sha=$(sha256sum "$layer" | cut -d' ' -f1)
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
java_version=$("$root/opt/java/openjdk/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.runtime.version/ {print $2}')
debian_libc=$(sed -n '/^Package: libc6$/,/^$/s/^Version: //p' "$root/var/lib/dpkg/status" 2>/dev/null || true)

mkdir -p target/work/archive/"$layer_sha"
mv "$layer" target/work/archive/"$layer_sha"/layer.tar
cat >target/work/config.json <<JSON
{"architecture":"$arch","os":"linux","created":"$created","config":{"User":"65532:65532","WorkingDir":"/","Env":["PATH=/opt/java/openjdk/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"],"Labels":{"dev.tollgate.base.java":"$java_version","dev.tollgate.base.debian":"$SUITE","dev.tollgate.base.libc6":"$debian_libc"}},"rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},"history":[{"created":"$created","created_by":"images/base/build.sh: Debian $SUITE libc6 (extracted) + jlink Java $java_version"}]}
JSON
config_sha=$(sha256sum target/work/config.json | cut -d' ' -f1)
mv target/work/config.json target/work/archive/"$config_sha".json
printf '[{"Config":"%s.json","RepoTags":["tollgate-base:java25"],"Layers":["%s/layer.tar"]}]\n' "$config_sha" "$layer_sha" \
  >target/work/archive/manifest.json
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --format=posix \
  --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C target/work/archive -cf target/base.tar \
  manifest.json "$config_sha.json" "$layer_sha" # entries named, not ".": Jib refuses an entry "./"
rm -rf target/work/archive
echo "images/base/build.sh: target/base.tar (Java $java_version on Debian $SUITE libc6 $debian_libc, layer sha256:$layer_sha)"
