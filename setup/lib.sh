# shellcheck shell=bash
# Shared helpers of the setup scripts: where things are, and how to make them so.
# Sourced by setup/bootstrap, setup/run, setup/test and setup/pg-stop; defines no side effects itself.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/partner_channel"
LOCAL_DIR="$ROOT/.local"          # git-ignored: generated config, logs, private cluster
VENV="${PC_VENV:-$ROOT/.venv}"    # git-ignored
PY="$VENV/bin/python"
ODOO_BRANCH="18.0"
ODOO_URL="${ODOO_URL:-https://github.com/odoo/odoo/archive/refs/heads/$ODOO_BRANCH.tar.gz}"
MODULES="partner_scorecard,governance_gates,white_label_tenant,recurring_billing"
# Installed beside them in the demo database of setup/run and the test database of setup/test:
# Odoo's demo payment provider, so that a partner can try "Pay Now" on the portal and the portal
# payment and automatic charge tests run (production enables a real provider; recurring_billing
# depends on account_payment alone). Its own tests are not run.
TEST_EXTRA_MODULES="payment_demo"

say() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

# Read one option from the committed odoo.conf (the defaults of this project).
conf_get() {
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$ROOT/odoo.conf" | tail -n 1
}

# Database settings: environment first (PGHOST/PGPORT/PGUSER or PC_DB_*), then odoo.conf.
DB_HOST="${PC_DB_HOST:-${PGHOST:-$(conf_get db_host)}}"
DB_PORT="${PC_DB_PORT:-${PGPORT:-$(conf_get db_port)}}"
DB_USER="${PC_DB_USER:-${PGUSER:-$(conf_get db_user)}}"
DB_PASSWORD="${PC_DB_PASSWORD:-${PGPASSWORD:-$(conf_get db_password)}}"
HTTP_PORT="${PC_HTTP_PORT:-$(conf_get http_port)}"
[ "$DB_PASSWORD" = "False" ] && DB_PASSWORD=""
[ "$DB_USER" = "postgres" ] && die "Odoo refuses to connect as 'postgres'; set db_user in odoo.conf or PC_DB_USER to another role."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_install() {
    # Install Debian packages when we can; otherwise tell exactly what is missing.
    local missing=()
    for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    if command -v apt-get >/dev/null && as_root true 2>/dev/null; then
        say "installing OS packages: ${missing[*]}"
        as_root apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        die "missing OS packages: ${missing[*]} (install them with your package manager and run again)"
    fi
}

# --- Odoo source -------------------------------------------------------------------------------
odoo_src() {
    if [ -n "${ODOO_SRC:-}" ]; then
        [ -f "$ODOO_SRC/odoo-bin" ] || die "ODOO_SRC=$ODOO_SRC holds no odoo-bin: point it at an Odoo $ODOO_BRANCH source tree."
        echo "$ODOO_SRC"; return
    fi
    local cached="$CACHE_DIR/odoo-$ODOO_BRANCH"
    if [ ! -f "$cached/odoo-bin" ]; then
        say "no Odoo source in $cached: downloading $ODOO_URL"
        mkdir -p "$CACHE_DIR"
        local tmp; tmp="$(mktemp -d "$CACHE_DIR/download.XXXXXX")"
        if curl -fsSL --connect-timeout 20 "$ODOO_URL" | tar -xz -C "$tmp" --strip-components=1; then
            rm -rf "$cached"; mv "$tmp" "$cached"
        else
            rm -rf "$tmp"
            die "could not get Odoo $ODOO_BRANCH. Put an Odoo $ODOO_BRANCH source tree (the folder holding odoo-bin) at $cached, or set ODOO_SRC to one."
        fi
    fi
    echo "$cached"
}

# --- Python virtual environment ----------------------------------------------------------------
ensure_venv() {
    local src="$1" stamp="$VENV/.pc-stamp" want
    want="venv-v1:$(cat "$src/requirements.txt" "$ROOT/setup/requirements-dev.txt" | sha1sum | cut -c1-16):$src"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
    apt_install libpq-dev libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev
    local python="${PYTHON:-python3}"
    command -v "$python" >/dev/null || die "no $python found: install Python 3.10-3.12 or set PYTHON."
    [ -x "$PY" ] || { say "creating virtual environment $VENV"; "$python" -m venv "$VENV"; }
    "$PY" -m pip install -q --upgrade pip setuptools wheel
    # Odoo's pins, with the one that no longer builds from source replaced by a later patch release.
    sed -e 's/^cbor2==5\.4\.2\b/cbor2==5.4.6/' "$src/requirements.txt" > "$VENV/odoo-requirements.txt"
    say "installing Odoo's Python requirements (first run only; a few minutes)"
    "$PY" -m pip install -q -r "$VENV/odoo-requirements.txt"
    "$PY" -m pip install -q -r "$ROOT/setup/requirements-dev.txt"
    # Odoo itself, from the source tree, without copying it: a path entry in the venv.
    local site; site="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
    echo "$src" > "$site/odoo-src.pth"
    "$PY" -c "import odoo, sys; assert odoo.release.series == '$ODOO_BRANCH', odoo.release.series" \
        || die "the Odoo source at $src is not $ODOO_BRANCH"
    echo "$want" > "$stamp"
}

# --- Linters from npm (prettier for XML), pinned in package.json / package-lock.json ----------
ensure_node_tools() {
    [ -x "$ROOT/node_modules/.bin/prettier" ] && return 0
    command -v npm >/dev/null || apt_install nodejs npm
    say "installing prettier (npm)"
    (cd "$ROOT" && if [ -f package-lock.json ]; then npm ci --silent --no-audit --no-fund; \
        else npm install --silent --no-audit --no-fund; fi) >/dev/null 2>&1 \
        || die "npm could not install prettier: run 'npm install' in $ROOT to see why"
}

# --- Browser for tours -------------------------------------------------------------------------
ensure_browser() {
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null \
        || apt_install chromium
    # the second test pass runs with the clock a year ahead (libfaketime)
    command -v faketime >/dev/null || apt_install faketime || say "faketime is missing (Debian: apt-get install faketime)"
    # PDF reports; optional: without it Odoo serves reports as HTML only
    command -v wkhtmltopdf >/dev/null || (apt_install wkhtmltopdf) \
        || say "wkhtmltopdf is missing: PDF reports will not render (Debian: apt-get install wkhtmltopdf)"
}

# --- PostgreSQL --------------------------------------------------------------------------------
pg_answers() { "$1" -h "$DB_HOST" -p "$DB_PORT" -q -t 3 >/dev/null 2>&1; }

pg_bindir() {
    local d
    if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/pgsql/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return; }
    done
}

# Make sure DB_USER exists and may create databases, using the server's superuser when we can.
ensure_role() {
    if psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        return 0
    fi
    say "creating PostgreSQL role $DB_USER (createdb)"
    local su
    for su in postgres "$(id -un)"; do
        if psql -h "$DB_HOST" -p "$DB_PORT" -U "$su" -d postgres -tAc \
            "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB" >/dev/null 2>&1; then return 0; fi
    done
    die "cannot connect to PostgreSQL at $DB_HOST:$DB_PORT as $DB_USER, nor create that role. Create it (CREATE ROLE $DB_USER LOGIN CREATEDB) or set PC_DB_USER/PC_DB_PASSWORD."
}

PG_PRIVATE="$LOCAL_DIR/pgdata"
PG_PRIVATE_PORT="${PC_PRIVATE_PG_PORT:-54329}"

# The OS user that owns the private cluster: ourselves, or an unprivileged one when we are root.
pg_owner() {
    if [ "$(id -u)" != 0 ]; then id -un; return; fi
    getent passwd postgres >/dev/null || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
    echo postgres
}

as_pg_owner() {
    local owner; owner="$(pg_owner)"
    if [ "$owner" = "$(id -un)" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi
}

# init_cluster DIR: an empty cluster owned by pg_owner, with DB_USER as its superuser (trust, loopback).
init_cluster() {
    local dir="$1" bindir; bindir="$(pg_bindir)"
    if [ -z "$bindir" ]; then
        apt_install postgresql
        bindir="$(pg_bindir)"
        [ -n "$bindir" ] || die "no PostgreSQL binaries: install PostgreSQL 13+ (Debian: apt-get install postgresql) or point PC_DB_HOST/PC_DB_PORT at a server."
    fi
    local owner; owner="$(pg_owner)"
    mkdir -p "$LOCAL_DIR"
    if [ ! -f "$dir/PG_VERSION" ]; then
        say "initialising a private PostgreSQL cluster in $dir (owner $owner)"
        mkdir -p "$dir"
        chown "$owner" "$dir" 2>/dev/null || true
        as_pg_owner test -w "$dir" \
            || die "$owner cannot write $dir (a parent folder is closed to it): clone the repository where $owner can reach it, or set PC_DB_HOST/PC_DB_PORT to a running server."
        as_pg_owner "$bindir/initdb" -D "$dir" -U "$DB_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    echo "$bindir" > "$LOCAL_DIR/pg-private.bindir"
}

# start_cluster DIR PORT [COMMAND PREFIX...]: start the cluster in DIR on 127.0.0.1:PORT unless it runs;
# the prefix (e.g. faketime) wraps the server, so that its clock (now()) is the prefix's.
start_cluster() {
    local dir="$1" port="$2"; shift 2
    init_cluster "$dir"
    local bindir; bindir="$(cat "$LOCAL_DIR/pg-private.bindir")"
    if ! as_pg_owner "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
        say "starting the private PostgreSQL cluster $dir on 127.0.0.1:$port${1:+ (under: $*)}"
        as_pg_owner "$@" "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -W \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
        local i
        for i in $(seq 60); do
            "$bindir/pg_isready" -h 127.0.0.1 -p "$port" -q -t 1 && return 0
            sleep 1
        done
        tail -n 20 "$dir/server.log" >&2
        die "the private PostgreSQL cluster in $dir did not start on port $port (see its server.log above)"
    fi
}

stop_cluster() {
    local dir="$1" bindir; bindir="$(cat "$LOCAL_DIR/pg-private.bindir" 2>/dev/null || pg_bindir)"
    [ -f "$dir/postmaster.pid" ] || return 0
    as_pg_owner "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
}

start_private_cluster() { start_cluster "$PG_PRIVATE" "$PG_PRIVATE_PORT"; }

# The cluster of the test pass with the clock moved ahead (setup/test, stage 5).
# faketime_prefix DAYS: a command prefix that runs a process tree with the clock DAYS ahead. libfaketime
# is preloaded directly: Debian's faketime wrapper never returns when the command leaves a daemon
# behind (pg_ctl start).
faketime_prefix() {
    local lib
    lib="$(ls /usr/lib/*/faketime/libfaketime.so.1 /usr/lib/faketime/libfaketime.so.1 2>/dev/null | head -n 1)"
    [ -n "$lib" ] || return 1
    echo env "LD_PRELOAD=$lib" "FAKETIME=+${1}d"
}
PG_FUTURE="$LOCAL_DIR/pgdata-future"
PG_FUTURE_PORT="${PC_FUTURE_PG_PORT:-54339}"

ensure_postgres() {
    command -v pg_isready >/dev/null || apt_install postgresql-client
    if pg_answers pg_isready; then
        ensure_role
    else
        say "no PostgreSQL answers at $DB_HOST:$DB_PORT: using a private cluster (stop it with: setup/pg-stop)"
        DB_HOST=127.0.0.1 DB_PORT="$PG_PRIVATE_PORT"
        start_private_cluster
        ensure_role
    fi
    export PGHOST="$DB_HOST" PGPORT="$DB_PORT" PGUSER="$DB_USER"
    [ -n "$DB_PASSWORD" ] && export PGPASSWORD="$DB_PASSWORD"
    return 0
}

# --- Runtime configuration ---------------------------------------------------------------------
# odoo.conf holds the project's defaults; the runtime copy adds absolute paths and resolved database
# settings, so that odoo-bin and pytest-odoo read one file.
write_runtime_conf() {
    local src="$1"
    mkdir -p "$LOCAL_DIR"
    RUNTIME_CONF="$LOCAL_DIR/odoo.conf"
    sed -e '/^[[:space:]]*\(addons_path\|db_host\|db_port\|db_user\|db_password\|data_dir\|http_port\)[[:space:]]*=/d' \
        "$ROOT/odoo.conf" > "$RUNTIME_CONF"
    cat >> "$RUNTIME_CONF" <<EOF
addons_path = $src/odoo/addons,$src/addons,$ROOT/addons
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = ${DB_PASSWORD:-False}
data_dir = $LOCAL_DIR/filestore
http_port = $HTTP_PORT
EOF
    export ODOO_RC="$RUNTIME_CONF"
}

bootstrap() {
    ODOO_DIR="$(odoo_src)"
    ensure_venv "$ODOO_DIR"
    ensure_node_tools
    ensure_browser
    ensure_postgres
    write_runtime_conf "$ODOO_DIR"
    ODOO_BIN=("$PY" "$ODOO_DIR/odoo-bin" -c "$RUNTIME_CONF")
}
