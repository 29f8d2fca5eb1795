#!/usr/bin/env bash
# The Ethling test lab: a network namespace holding the kernel side of a TAP device, with
# dnsmasq (DHCP + DNS) and nginx inside it. Nothing in the lab can reach any other network:
# the namespace has no route out, and every lab process runs inside it (ip netns exec).
#
#   lab.sh up NS TAP [LEASE]   after the TAP device TAP was moved into namespace NS: address it
#                              (203.0.113.1/24), start dnsmasq and nginx inside NS; LEASE is the
#                              DHCP lease (default 2m, dnsmasq's minimum); state in /tmp/ethling-lab-NS
#   lab.sh down NS             stop the lab's processes and delete the namespace
#   lab.sh check               exit 0 if everything the lab needs is installed, else say what is missing
#
# Addresses (RFC 5737 TEST-NET-3; never 192.0.2.0/24, the build machines' own uplink):
#   203.0.113.1        the kernel (gateway, DHCP and DNS server, web server)
#   203.0.113.50-99    the DHCP range
# Names served by dnsmasq: lab.test -> 203.0.113.1, www.lab.test CNAME lab.test,
#   other.lab.test -> 203.0.113.1; anything else in lab.test is NXDOMAIN.
set -euo pipefail

lab_ip=203.0.113.1
missing() {
  local m=""
  for t in ip dnsmasq nginx; do
    command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || m="$m $t"
  done
  printf '%s' "$m"
}

case "${1:-}" in
  check)
    m=$(missing)
    if [ -n "$m" ]; then echo "lab: missing:$m (Debian: apt-get install iproute2 dnsmasq-base nginx-light)"; exit 1; fi
    [ "$(id -u)" = 0 ] || { echo "lab: needs root (network namespaces, TAP)"; exit 1; }
    exit 0 ;;
  up)
    ns=${2:?usage: lab.sh up NS TAP [LEASE]}; tap=${3:?usage: lab.sh up NS TAP [LEASE]}; lease=${4:-2m}
    state=/tmp/ethling-lab-$ns
    rm -rf "$state"; mkdir -p "$state/www"
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$lab_ip/24" dev "$tap"
    ip -n "$ns" link set "$tap" up
    # web content: an index page, a 1 MiB and a 10 MiB file with fixed pseudo-random bytes
    cat > "$state/www/index.html" <<'HTML'
<!DOCTYPE html>
<html><head><title>Ethling lab</title></head>
<body><h1>Hello from the Ethling lab</h1><p>Served by nginx inside a network namespace.</p></body></html>
HTML
    head -c 1048576 /dev/zero | openssl enc -aes-128-ctr -nosalt -K 00112233445566778899aabbccddeeff -iv 0 2>/dev/null > "$state/www/1m.bin" \
      || awk 'BEGIN{srand(1); for(i=0;i<1048576;i++) printf "%c", int(rand()*256)}' > "$state/www/1m.bin"
    for i in 0 1 2 3 4 5 6 7 8 9; do cat "$state/www/1m.bin"; done > "$state/www/10m.bin"
    cat > "$state/nginx.conf" <<CONF
daemon on;
pid $state/nginx.pid;
error_log $state/nginx-error.log;
worker_processes 1;
events { worker_connections 64; }
http {
  access_log $state/nginx-access.log;
  client_body_temp_path $state/tmp-body; proxy_temp_path $state/tmp-proxy;
  fastcgi_temp_path $state/tmp-fcgi; uwsgi_temp_path $state/tmp-uwsgi; scgi_temp_path $state/tmp-scgi;
  types { text/html html; application/octet-stream bin; }
  server {
    listen $lab_ip:80;
    root $state/www;
    location = /redirect1 { return 302 /redirect2; }
    location = /redirect2 { return 301 /index.html; }
    location = /chunked { chunked_transfer_encoding on; gzip off; return 200 "chunked body\n"; }
  }
}
CONF
    ip netns exec "$ns" nginx -c "$state/nginx.conf"
    ip netns exec "$ns" dnsmasq --conf-file=/dev/null --pid-file="$state/dnsmasq.pid" \
      --interface="$tap" --bind-interfaces --except-interface=lo --no-resolv --no-hosts \
      --log-facility="$state/dnsmasq.log" --dhcp-leasefile="$state/leases" \
      --dhcp-range=203.0.113.50,203.0.113.99,255.255.255.0,"$lease" \
      --dhcp-option=option:router,$lab_ip --dhcp-option=option:dns-server,$lab_ip \
      --domain=lab.test --local=/lab.test/ \
      --host-record=lab.test,$lab_ip --host-record=other.lab.test,$lab_ip \
      --cname=www.lab.test,lab.test --local-ttl=300 --neg-ttl=60 --dhcp-authoritative
    echo "lab: up in $ns ($tap $lab_ip/24, DHCP 203.0.113.50-99 lease $lease, DNS lab.test, nginx :80); state $state"
    ;;
  down)
    ns=${2:?usage: lab.sh down NS}
    state=/tmp/ethling-lab-$ns
    for p in "$state/nginx.pid" "$state/dnsmasq.pid"; do
      [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
    done
    # anything else still running in the namespace
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$state"
    ;;
  *)
    sed -n '2,20p' "$0"; exit 2 ;;
esac
