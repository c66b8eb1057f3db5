#!/usr/bin/env bash
# Test « machine neuve » (make test-fresh) : le cours s'installe-t-il sur une
# Debian qui n'a que ce que le README demande ?
#
# Pour chaque distribution (par défaut Debian 11 « bullseye », Python 3.9.2, et
# Debian 12 « bookworm », Python 3.11.2) :
#   1. debootstrap construit une racine minimale depuis les paquets Debian, et
#      la ligne « sudo apt install » du README y installe les prérequis ; cette
#      racine de base est gardée en archive dans FRESH_CACHE (clé : distribution,
#      miroir, ligne du README, tools/fresh_steps.sh ; 7 jours au plus) ;
#   2. on y copie les réglages de registre de la machine (configuration pip,
#      certificats) et les fichiers suivis du dépôt ;
#   3. tools/fresh_steps.sh y lance make install (chronométré), toujours sur un
#      dépôt neuf, puis le test de fumée (00_sommaire et un tour fédéré confiné
#      en mode rapide) — ou, avec FRESH_STEP=test, toute la suite (make test,
#      navigateur compris : ce que fait un étudiant qui vérifie son installation) ;
#   4. les montages sont défaits et la racine supprimée, même en cas
#      d'interruption (trap).
# Affiche à la fin le temps d'installation et le résultat par distribution.
#
# Usage (root) : tools/test_fresh.sh [bullseye] [bookworm]
# Variables : FRESH_DIR (racines, défaut /var/tmp/fltutor-fresh),
#   FRESH_CACHE (paquets .deb, caches pip et uv gardés d'une fois sur
#   l'autre, défaut /var/cache/fltutor-fresh ; vide = aucun cache),
#   FLTUTOR_INSTALLER=pip (installer avec pip au lieu d'uv, voir le README),
#   FRESH_STEP=test (make test au lieu du test de fumée ; défaut : smoke).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
DISTS=("$@")
[ ${#DISTS[@]} -gt 0 ] || DISTS=(bullseye bookworm)
FRESH_DIR=${FRESH_DIR:-/var/tmp/fltutor-fresh}
FRESH_CACHE=${FRESH_CACHE-/var/cache/fltutor-fresh}
FRESH_STEP=${FRESH_STEP:-smoke}
case "$FRESH_STEP" in smoke|test) ;; *) echo "Erreur : FRESH_STEP=smoke ou test" >&2; exit 2 ;; esac

die() { echo "Erreur : $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "make test-fresh doit être lancé en root (debootstrap, chroot, mount)."
if ! command -v debootstrap >/dev/null; then
  command -v apt-get >/dev/null || die "debootstrap est introuvable (Debian : apt-get install debootstrap)."
  echo "debootstrap est absent : installation du paquet Debian « debootstrap » (apt-get)…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null; } \
    || die "l'installation de debootstrap a échoué."
fi

# Le miroir Debian de la machine (sources apt), sinon le miroir officiel.
mirror() {
  local uri
  uri=$(grep -h -E '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
          /etc/apt/sources.list.d/*.list 2>/dev/null \
        | grep -o -E 'https?://[^ ]*/debian/?' | grep -v -- '-security' | head -n1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR=$(mirror)

# --- montages et nettoyage ----------------------------------------------------

ROOTS=()
mounts_under() {  # points de montage sous $1, les plus profonds d'abord
  awk -v root="$1" '$2 == root || index($2, root "/") == 1 { print $2 }' /proc/mounts | sort -r
}
unmount_root() {  # arrête les processus de la racine et défait ses montages
  local root=$1 mnt pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    # Processus restés dans la racine (worker TFF, noyau…) : arrêtés d'abord.
    if [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ]; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  for mnt in $(mounts_under "$root"); do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" || true
  done
  if [ -n "$(mounts_under "$root")" ]; then
    echo "ATTENTION : montages restants sous $root :" >&2
    mounts_under "$root" >&2
    return 1
  fi
}
cleanup_root() {
  local root=$1
  [ -d "$root" ] || return 0
  # Jamais de suppression tant qu'un montage reste (règle des chroots).
  unmount_root "$root" || { echo "racine $root NON supprimée" >&2; return 1; }
  rm -rf --one-file-system "$root"
}
cleanup_all() {
  local status=$? root
  for root in "${ROOTS[@]}"; do cleanup_root "$root" || status=1; done
  exit "$status"
}
trap cleanup_all EXIT
trap 'echo "Interrompu : nettoyage…" >&2; exit 130' INT TERM HUP

mount_root() {
  local root=$1 dist=$2
  mount -t proc proc "$root/proc"
  mount -t sysfs -o ro sysfs "$root/sys"
  mount --bind /dev "$root/dev"
  mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
  mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm"
  mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
  if [ -n "$FRESH_CACHE" ]; then
    # Caches de téléchargement gardés entre deux lancements : pip, propre à la
    # distribution ; uv, partagé (ses fichiers sont adressés par contenu).
    mkdir -p "$FRESH_CACHE/pip-$dist" "$FRESH_CACHE/uv" "$root/root/.cache/pip" \
      "$root/root/.cache/uv"
    mount --bind "$FRESH_CACHE/pip-$dist" "$root/root/.cache/pip"
    mount --bind "$FRESH_CACHE/uv" "$root/root/.cache/uv"
  fi
}

# Réglages de registre de la machine : configuration pip et certificats.
copy_registry_settings() {
  local root=$1 src
  for src in /etc/pip.conf /etc/xdg/pip "$HOME/.config/pip" "$HOME/.pip"; do
    if [ -e "$src" ]; then
      local dest=$root${src/#$HOME//root}
      mkdir -p "$(dirname "$dest")"
      cp -a "$src" "$dest"
    fi
  done
  if [ -d /usr/local/share/ca-certificates ]; then
    mkdir -p "$root/usr/local/share/ca-certificates"
    cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
  fi
  cp /etc/resolv.conf "$root/etc/resolv.conf"
}

in_root() {  # in_root RACINE COMMANDE... : dans la racine, environnement propre
  local root=$1; shift
  local vars=(HOME=/root LANG=C.UTF-8 TERM=dumb
              PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
  local name
  for name in $(compgen -e); do
    case "$name" in
      PIP_*|FLTUTOR_INSTALLER|http_proxy|https_proxy|no_proxy|HTTP_PROXY|HTTPS_PROXY|NO_PROXY|\
      SSL_CERT_FILE|REQUESTS_CA_BUNDLE) vars+=("$name=${!name}") ;;
    esac
  done
  # En arrière-plan puis « wait » : un signal (kill, Ctrl-C) est traité tout
  # de suite, le nettoyage arrête les processus de la racine.
  chroot "$root" /usr/bin/env -i "${vars[@]}" "$@" &
  wait $!
}

elapsed() { echo $(( $(date +%s) - $1 )); }

copy_repo() {  # les fichiers suivis du dépôt, comme après « git clone »
  local root=$1
  rm -rf --one-file-system "$root/root/fltutor"
  mkdir -p "$root/root/fltutor"
  git -C "$REPO" ls-files -z --cached --others --exclude-standard \
    | (cd "$REPO" && tar --null -T - -cf - 2>/dev/null) | tar -C "$root/root/fltutor" -xf -
}

# --- une distribution -----------------------------------------------------------

declare -A RESULT INSTALL_TIME TOTAL_TIME PYVER BASE_TIME
run_dist() {
  local dist=$1 root=$FRESH_DIR/$1 start t0
  start=$(date +%s)
  ROOTS+=("$root")
  cleanup_root "$root"
  mkdir -p "$root"
  # Racine de base (debootstrap + prérequis du README), gardée en archive
  # dans le cache tant que la distribution, le miroir, la ligne « apt install »
  # du README et tools/fresh_steps.sh ne changent pas (7 jours au plus).
  local key base=""
  key=$( { echo "$dist $MIRROR"; grep -m1 '^sudo apt install ' "$REPO/README.md";
           cat "$REPO/tools/fresh_steps.sh"; } | sha256sum | cut -c1-12)
  if [ -n "$FRESH_CACHE" ]; then
    base="$FRESH_CACHE/racine-$dist-$key.tar"
    find "$FRESH_CACHE" -maxdepth 1 -name "racine-$dist-*.tar" \( -mtime +7 -o ! -name "${base##*/}" \) -delete
  fi
  if [ -n "$base" ] && [ -f "$base" ]; then
    echo "=== $dist : racine de base reprise du cache (${base##*/})"
    tar -C "$root" -xf "$base"
    copy_registry_settings "$root"
  else
    echo "=== $dist : debootstrap depuis $MIRROR"
    local cache_opt=()
    if [ -n "$FRESH_CACHE" ]; then
      mkdir -p "$FRESH_CACHE/debs-$dist"
      cache_opt=(--cache-dir="$FRESH_CACHE/debs-$dist")
    fi
    debootstrap --variant=minbase --include=ca-certificates "${cache_opt[@]}" \
      "$dist" "$root" "$MIRROR" > "$FRESH_DIR/$dist-debootstrap.log" 2>&1 \
      || { tail -n 20 "$FRESH_DIR/$dist-debootstrap.log" >&2; RESULT[$dist]="échec (debootstrap)"; return 1; }
    copy_registry_settings "$root"
    mount_root "$root" "$dist"
    in_root "$root" update-ca-certificates > /dev/null
    copy_repo "$root"
    echo "=== $dist : prérequis du README"
    in_root "$root" sh -c 'cd /root/fltutor && tools/fresh_steps.sh prereqs' \
      > "$FRESH_DIR/$dist-prereqs.log" 2>&1 \
      || { tail -n 20 "$FRESH_DIR/$dist-prereqs.log" >&2; RESULT[$dist]="échec (prérequis)"; return 1; }
    if [ -n "$base" ]; then
      unmount_root "$root"
      tar -C "$root" --one-file-system --exclude=./root/fltutor --exclude=./root/.cache \
        -cf "$base.tmp" . && mv "$base.tmp" "$base"
    fi
  fi
  [ -n "$(mounts_under "$root")" ] || mount_root "$root" "$dist"
  in_root "$root" update-ca-certificates > /dev/null  # certificats du jour
  copy_repo "$root"
  if [ "$FRESH_STEP" = test ] && [ -f "${FLTUTOR_DATA_DIR:-}/SHA256SUMS" ]; then
    # Chez l'étudiant, Keras télécharge MNIST ; ici, sans Internet, la copie
    # de la machine (FLTUTOR_DATA_DIR, comme pour .ci/run) en tient lieu.
    mkdir -p "$root/root/fltutor/data/mnist"
    cp "$FLTUTOR_DATA_DIR"/* "$root/root/fltutor/data/mnist/"
  fi
  PYVER[$dist]=$(in_root "$root" python3 -c 'import platform; print(platform.python_version())')
  BASE_TIME[$dist]=$(elapsed "$start")

  echo "=== $dist : make install (Python ${PYVER[$dist]})"
  t0=$(date +%s)
  in_root "$root" sh -c 'cd /root/fltutor && tools/fresh_steps.sh install' \
    || { INSTALL_TIME[$dist]=$(elapsed "$t0"); RESULT[$dist]="échec (make install)"; return 1; }
  INSTALL_TIME[$dist]=$(elapsed "$t0")

  if [ "$FRESH_STEP" = test ]; then
    echo "=== $dist : make test (toute la suite)"
  else
    echo "=== $dist : test de fumée (00_sommaire, un tour fédéré confiné)"
  fi
  if in_root "$root" sh -c "cd /root/fltutor && tools/fresh_steps.sh $FRESH_STEP"; then
    RESULT[$dist]="réussi ($FRESH_STEP)"
  else
    RESULT[$dist]="échec ($FRESH_STEP)"
  fi
  TOTAL_TIME[$dist]=$(elapsed "$start")
  cleanup_root "$root"
  [ "${RESULT[$dist]}" = "réussi ($FRESH_STEP)" ]
}

mkdir -p "$FRESH_DIR"
status=0
for dist in "${DISTS[@]}"; do
  run_dist "$dist" || status=1
  TOTAL_TIME[$dist]=${TOTAL_TIME[$dist]:-?}
done

echo
echo "Test machine neuve (cache : ${FRESH_CACHE:-aucun}) :"
for dist in "${DISTS[@]}"; do
  printf '  %-9s Python %-7s racine+prérequis %4s s   make install %4s s   total %4s s   %s\n' \
    "$dist" "${PYVER[$dist]:-?}" "${BASE_TIME[$dist]:-?}" "${INSTALL_TIME[$dist]:-?}" \
    "${TOTAL_TIME[$dist]}" "${RESULT[$dist]:-non lancé}"
done
exit "$status"
