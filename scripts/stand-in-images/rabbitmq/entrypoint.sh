#!/bin/sh
# Writes rabbitmq.conf from the official image's variables, then runs the server in the
# foreground as the rabbitmq user.
set -eu
cat >/etc/rabbitmq/rabbitmq.conf <<CONF
default_user = ${RABBITMQ_DEFAULT_USER:-guest}
default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}
default_vhost = ${RABBITMQ_DEFAULT_VHOST:-/}
loopback_users = none
listeners.tcp.default = ${RABBITMQ_NODE_PORT:-5672}
management.tcp.port = 15672
log.console = true
log.console.level = info
log.file = false
CONF
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /etc/rabbitmq
# Debian's /usr/sbin/rabbitmq-server sends the log to files; the server itself logs to stdout.
if [ "$1" = "rabbitmq-server" ]; then
  shift
  exec runuser -u rabbitmq -- env HOME=/var/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi
exec "$@"
