# shellcheck shell=bash
# Installs Debian packages if any is missing (apt-get update once, then install), with no system
# service started by the install. Sourced by scripts/serve.sh, scripts/test.sh and the peer scripts
# (scripts/peers/kannel.sh, scripts/peers/mail.sh).
SWITCHBOARD_PACKAGES=(libcurl4-openssl-dev libsqlite3-dev pkg-config)

# A package counts only when fully installed: `dpkg -s` also succeeds for one that was removed but
# left its config files behind.
package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# Whether Debian's /usr/sbin/policy-rc.d already denies service starts (exit 101).
policy_denies_start() {
    [ -x /usr/sbin/policy-rc.d ] || return 1
    local rc=0
    /usr/sbin/policy-rc.d switchboard start >/dev/null 2>&1 || rc=$?
    [ "$rc" -eq 101 ]
}

# Installs those of the given packages that are missing; returns apt-get's status.
install_packages() {
    local missing=() package
    for package in "$@"; do
        package_installed "$package" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing ${missing[*]}" >&2
    # Test peers (Dovecot, Kannel) are started by our own scripts on our own ports; their system
    # services (kannel's bearerbox, dovecot) must not start on install. Debian asks
    # /usr/sbin/policy-rc.d: unless it already denies, one that denies every start is put in place
    # for this install only, and whatever was there is put back afterwards (also if interrupted).
    local policy=/usr/sbin/policy-rc.d saved="" guard="" previous_trap
    previous_trap="$(trap -p EXIT)"
    if ! policy_denies_start; then
        guard=1
        if [ -e "$policy" ]; then
            saved="$policy.switchboard-saved.$$"
            $sudo mv "$policy" "$saved"
        fi
        printf '#!/bin/sh\n# put here by scripts/lib/packages.sh for one apt-get install\nexit 101\n' |
            $sudo tee "$policy" >/dev/null
        $sudo chmod 755 "$policy"
        # shellcheck disable=SC2064 # expand now: restore exactly what this call saved
        trap "$sudo rm -f '$policy'; [ -z '$saved' ] || $sudo mv '$saved' '$policy'" EXIT
    fi
    local status=0
    {
        $sudo apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" \
                >/dev/null
    } || status=$?
    if [ -n "$guard" ]; then
        $sudo rm -f "$policy"
        [ -z "$saved" ] || $sudo mv "$saved" "$policy"
        if [ -n "$previous_trap" ]; then eval "$previous_trap"; else trap - EXIT; fi
    fi
    return "$status"
}

# The build's packages and `$@` (a caller's own), in one apt-get run.
ensure_packages() {
    install_packages "${SWITCHBOARD_PACKAGES[@]}" "$@"
}
