# Installs the Debian packages the build needs, if any is missing (apt-get update once, then install).
# Sourced by scripts/serve.sh and scripts/test.sh.
SWITCHBOARD_PACKAGES=(libcurl4-openssl-dev libsqlite3-dev pkg-config)

# A package counts only when fully installed: `dpkg -s` also succeeds for one that was removed but
# left its config files behind.
package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

ensure_packages() {
    local missing=()
    for package in "${SWITCHBOARD_PACKAGES[@]}" "$@"; do
        package_installed "$package" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing ${missing[*]}" >&2
    # Test peers (Dovecot, Kannel) are started by our own scripts on our own ports; their system
    # services must not start on install. Debian asks /usr/sbin/policy-rc.d; where there is none,
    # one that denies every start is put in place for this install only.
    local guard=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# put here by scripts/lib/packages.sh for one apt-get install\nexit 101\n' |
            $sudo tee /usr/sbin/policy-rc.d >/dev/null && $sudo chmod 755 /usr/sbin/policy-rc.d && guard=1
    fi
    local status=0
    $sudo apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
            >/dev/null || status=$?
    [ -n "$guard" ] && $sudo rm -f /usr/sbin/policy-rc.d
    return "$status"
}
