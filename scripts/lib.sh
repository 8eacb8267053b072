# Shared by the scripts (sourced, not run): finds Odoo 18 (or sets it up in the project's .venv), installs the
# suite's Python requirements, makes sure a PostgreSQL server answers, and exposes one `odoo` launcher.
# Database settings come from the standard libpq variables, so any server can be used instead of the local one.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-odoo} PGPASSWORD=${PGPASSWORD:-odoo}
SUITE_MODULES=ai_bridge_core,messaging_router,portal_customer_ext,portal_vendor_ext,ov_outlet

die() {
  echo "FATAL: $*" >&2
  exit 2
}

# Odoo itself, when the chosen Python cannot import Odoo 18.0: the 18.0 branch of Odoo's public repository at the
# commit the suite is tested on (moved forward deliberately, README.md), in a virtual environment of the project
# (.venv, ignored by git) that later runs reuse. Any of these can be overridden from the environment, e.g. a company
# mirror or a local clone as ODOO_REPO_URL; a full commit id is fetched alone, an abbreviated one from the branch's
# history since ODOO_COMMIT_DATE.
ODOO_REPO_URL=${ODOO_REPO_URL:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=${ODOO_BRANCH:-18.0}
ODOO_COMMIT=${ODOO_COMMIT:-52acb3c1}
ODOO_COMMIT_DATE=${ODOO_COMMIT_DATE:-2024-11-23}
SUITE_VENV=${SUITE_VENV:-$ROOT/.venv}
ODOO_SRC=$SUITE_VENV/odoo-src

odoo_importable() {
  "$1" -c 'import odoo.release as r, sys; sys.exit(r.version_info[:2] != (18, 0))' 2>/dev/null
}

require_odoo() {
  odoo_importable "$PYTHON" && return
  if [[ -x "$SUITE_VENV/bin/python" ]] && odoo_importable "$SUITE_VENV/bin/python"; then
    PYTHON=$SUITE_VENV/bin/python
    return
  fi
  setup_odoo
}

fetch_odoo_source() {
  if [[ -f "$ODOO_SRC/odoo/release.py" ]] && git -C "$ODOO_SRC" cat-file -e "$ODOO_COMMIT^{commit}" 2>/dev/null; then
    git -C "$ODOO_SRC" -c advice.detachedHead=false checkout -q "$ODOO_COMMIT"
    return
  fi
  rm -rf "$ODOO_SRC"
  git init -q "$ODOO_SRC" && git -C "$ODOO_SRC" remote add origin "$ODOO_REPO_URL" || return 1
  git -C "$ODOO_SRC" fetch -q --depth 1 origin "$ODOO_COMMIT" >/dev/null 2>&1 ||
    git -C "$ODOO_SRC" fetch -q --shallow-since="$ODOO_COMMIT_DATE" origin "$ODOO_BRANCH" >/dev/null 2>&1 ||
    return 1
  git -C "$ODOO_SRC" -c advice.detachedHead=false checkout -q "$ODOO_COMMIT" 2>/dev/null
}

# Odoo 18 the standard way, in the project's virtual environment: its source, the Debian packages its Python
# requirements build against, its requirements (the suite's pins come on top in install_python_requirements).
setup_odoo() {
  echo "Odoo 18.0 is not importable by $PYTHON: setting it up in $SUITE_VENV ($ODOO_REPO_URL at $ODOO_COMMIT)"
  install_debian_packages git:git
  fetch_odoo_source || die "Odoo 18.0 is not importable by $PYTHON and $ODOO_REPO_URL ($ODOO_COMMIT) cannot be" \
    "fetched: set ODOO_REPO_URL (and ODOO_COMMIT) to a reachable clone of Odoo, or install Odoo 18.0 yourself" \
    "(README.md, Requirements)."
  install_debian_libraries libpq-dev libldap2-dev libsasl2-dev
  [[ -x "$SUITE_VENV/bin/python" ]] || "$PYTHON" -m venv "$SUITE_VENV" ||
    die "cannot create a virtual environment with $PYTHON (on Debian: apt-get install python3-venv)."
  # Some of Odoo's pinned requirements still build with setup.py files that import pkg_resources, which the newest
  # setuptools no longer has: their isolated builds get an older one.
  local constraints=$SUITE_VENV/build-constraints.txt
  echo "setuptools<81" >"$constraints"
  PIP_CONSTRAINT=$constraints "$SUITE_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$ODOO_SRC/requirements.txt" || die "installing Odoo's requirements into $SUITE_VENV failed (see above)."
  # compat mode puts the source on sys.path: OCA wheels (queue_job) create a site-packages/odoo/addons namespace
  # directory that would hide Odoo from the default editable finder.
  "$SUITE_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$ODOO_SRC" \
    --config-settings editable_mode=compat || die "installing Odoo from $ODOO_SRC into $SUITE_VENV failed."
  PYTHON=$SUITE_VENV/bin/python
  odoo_importable "$PYTHON" || die "Odoo 18.0 set up in $SUITE_VENV does not import."
}

install_python_requirements() {
  "$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    -r "$ROOT/requirements.txt" -r "$ROOT/test-requirements.txt"
  "$PYTHON" -c 'import odoo.addons.base, anthropic, slack_sdk, rapidfuzz, pdfplumber' ||
    die "Odoo no longer imports after installing requirements.txt."
}

# Installs the Debian packages that provide the given commands (command:package pairs) when they are missing.
install_debian_packages() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  apt_install "${missing[@]}"
}

# Installs the given Debian packages (libraries and headers, which provide no command) when they are missing.
install_debian_libraries() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  apt_install "${missing[@]}"
}

apt_install() {
  [[ $# -eq 0 ]] && return
  [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || die "missing Debian packages: $* (apt-get install them)."
  echo "Installing $* from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Starts the machine's Debian cluster serving PGPORT when nothing answers and the local server is wanted (creating
# one when no cluster uses that port), then makes sure the role exists. Any other server (PGHOST elsewhere) is used
# as it is.
ensure_postgres() {
  install_debian_packages pg_isready:postgresql-client psql:postgresql-client
  if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
    [[ "$PGHOST" == 127.0.0.1 || "$PGHOST" == localhost ]] || die "PostgreSQL does not answer at $PGHOST:$PGPORT."
    install_debian_packages pg_ctlcluster:postgresql
    local version cluster
    read -r version cluster < <(pg_lsclusters -h | awk -v port="$PGPORT" '$3 == port {print $1, $2; exit}') || true
    if [[ -z "${cluster:-}" ]]; then
      version=$(ls /usr/lib/postgresql | sort -n | tail -1)
      cluster=suite
      pg_createcluster -p "$PGPORT" "$version" "$cluster" >/dev/null
    fi
    pg_ctlcluster "$version" "$cluster" start
    for _ in $(seq 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
    pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL did not start."
  fi
  if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    [[ $(id -u) == 0 ]] && command -v runuser >/dev/null || die "PostgreSQL refuses $PGUSER@$PGHOST:$PGPORT."
    # as the postgres superuser, over the local socket (peer authentication), not as the role being created
    runuser -u postgres -- env -u PGHOST -u PGUSER -u PGPASSWORD psql -p "$PGPORT" -q \
      -c "CREATE ROLE \"$PGUSER\" LOGIN CREATEDB PASSWORD '$PGPASSWORD'" ||
      die "cannot create the PostgreSQL role $PGUSER."
  fi
}

odoo_addons_path() {
  local odoo_root
  odoo_root=$("$PYTHON" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))')
  if [[ -d "$odoo_root/addons/sale" ]]; then
    echo "$ROOT/addons,$odoo_root/addons"
  else
    echo "$ROOT/addons"  # Odoo installed as a package: its addons live inside odoo/addons, found by Odoo itself
  fi
}

# Debian's wkhtmltopdf (PDF reports) runs Qt without a display: offscreen, with a private runtime directory, so
# that it writes nothing to stderr (Odoo logs wkhtmltopdf's stderr as a warning).
odoo() {
  local runtime_dir="${XDG_RUNTIME_DIR:-/tmp/odoo-runtime-$(id -u)}"
  mkdir -p -m 700 "$runtime_dir"
  (cd "$ROOT" && TZ=UTC QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$runtime_dir" \
    "$PYTHON" -m odoo -c "$ROOT/odoo.conf" --addons-path "$(odoo_addons_path)" "$@")
}

# For the test commands: everything a run needs on this machine, then a throwaway database named PREFIX_<pid> in DB
# and a scratch directory (data dir, logs) in WORK, both removed when the script exits.
prepare_test_run() {
  require_odoo
  install_python_requirements
  install_debian_packages chromium:chromium
  ensure_postgres
  DB=$1_$$
  WORK=$(mktemp -d)
  trap 'dropdb --if-exists "$DB" 2>/dev/null || true; rm -rf "$WORK"' EXIT
}

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
