#!/usr/bin/env bash
# A local 3-master Redis Cluster on random loopback ports, for the cluster test and `npm run bench:cluster`.
#
#   scripts/redis-cluster.sh start   # prints the node list: redis://127.0.0.1:p1,redis://127.0.0.1:p2,...
#   scripts/redis-cluster.sh stop    # shuts the nodes down and removes their directory
#
# Each node runs from its own folder under $UPCAUSE_CLUSTER_DIR (default: $TMPDIR/upcause-redis-cluster),
# which also holds `nodes` (the node list, as printed). Nothing is persisted: no RDB, no AOF.
set -euo pipefail

masters=${UPCAUSE_CLUSTER_MASTERS:-3}
dir=${UPCAUSE_CLUSTER_DIR:-${TMPDIR:-/tmp}/upcause-redis-cluster}
nodes_file="$dir/nodes"

fail() {
  echo "redis-cluster: $*" >&2
  exit 1
}

# Ports whose cluster bus port (port + 10000) is free too, found by binding both on 127.0.0.1.
free_ports() {
  node -e '
const net = require("net");
const want = Number(process.argv[1]);
const bindable = (port) => new Promise((resolve) => {
  const server = net.createServer();
  server.once("error", () => resolve(false));
  server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve(true)));
});
(async () => {
  const found = [];
  for (let tries = 0; found.length < want && tries < 500; tries++) {
    const port = 20000 + Math.floor(Math.random() * 35000);
    if (found.includes(port) || found.includes(port + 10000) || found.includes(port - 10000)) continue;
    if ((await bindable(port)) && (await bindable(port + 10000))) found.push(port);
  }
  if (found.length < want) { console.error("no free ports found"); process.exit(1); }
  console.log(found.join(" "));
})();
' "$1"
}

ports_of() {
  [ -f "$nodes_file" ] || return 0
  tr ',' '\n' <"$nodes_file" | sed -E 's#^redis://127\.0\.0\.1:##'
}

stop() {
  local port
  for port in $(ports_of); do
    redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true
  done
  rm -rf "$dir"
}

start() {
  command -v redis-server >/dev/null || fail "redis-server is not installed"
  command -v redis-cli >/dev/null || fail "redis-cli is not installed"
  if [ -f "$nodes_file" ]; then
    fail "a cluster is already running from $dir ($(cat "$nodes_file")); run \`$0 stop\` first"
  fi
  mkdir -p "$dir"
  local ports port addresses=() urls=()
  ports=$(free_ports "$masters") || fail "could not find $masters free loopback ports"
  for port in $ports; do
    mkdir -p "$dir/$port"
    redis-server --cluster-enabled yes --cluster-config-file "$dir/$port/nodes.conf" \
      --bind 127.0.0.1 --port "$port" --dir "$dir/$port" --logfile "$dir/$port/redis.log" \
      --save '' --appendonly no --daemonize yes >/dev/null
    addresses+=("127.0.0.1:$port")
    urls+=("redis://127.0.0.1:$port")
  done
  # Written before the nodes answer, so `stop` finds them even if the rest of start fails.
  (
    IFS=,
    echo "${urls[*]}"
  ) >"$nodes_file"
  for port in $ports; do
    for _ in $(seq 1 100); do
      redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG && break
      sleep 0.05
    done
    redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG || {
      stop
      fail "node 127.0.0.1:$port did not start"
    }
  done
  redis-cli --cluster create "${addresses[@]}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 || {
    cat "$dir/create.log" >&2
    stop
    fail "redis-cli --cluster create failed"
  }
  # Every node must agree the slots are covered before a client is handed the list.
  for port in $ports; do
    for _ in $(seq 1 200); do
      redis-cli -h 127.0.0.1 -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
      sleep 0.05
    done
    redis-cli -h 127.0.0.1 -p "$port" cluster info | grep -q '^cluster_state:ok' || {
      stop
      fail "node 127.0.0.1:$port never reached cluster_state:ok"
    }
  done
  cat "$nodes_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
