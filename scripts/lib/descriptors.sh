# shellcheck shell=bash
# Sourced by the peer scripts that start daemons (scripts/peers/kannel.sh, scripts/peers/synapse.sh).

# Closes every descriptor inherited beyond stdin/out/err, before anything starts a daemon. A caller
# may leak one (Foundation's Process hands its children a socket and reports their exit only once
# every holder has closed it): a daemon holding it would make the caller wait for as long as it runs.
close_inherited_descriptors() {
    local fd
    for fd in "/proc/$$/fd/"*; do
        fd="${fd##*/}"
        if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
}
