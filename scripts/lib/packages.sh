# Installs the Debian packages the build needs, if any is missing (apt-get update once, then install).
# Sourced by scripts/serve.sh and scripts/test.sh.
SWITCHBOARD_PACKAGES=(libcurl4-openssl-dev libsqlite3-dev pkg-config)

ensure_packages() {
    local missing=()
    for package in "${SWITCHBOARD_PACKAGES[@]}" "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
