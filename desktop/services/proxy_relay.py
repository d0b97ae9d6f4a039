"""The credential proxy carried to a container on an added engine over that
engine's own exec stream.

An engine on another machine cannot see this machine's proxy socket folder,
so its containers get a small tmpfs of the keeper's at PROXY_MOUNT instead
(desktop.containers.workspace_container) and the app runs, as the keeper, a
long-lived ``docker exec -i`` of RELAY: a Perl program listening on
``PROXY_MOUNT/s.relay.TOKEN`` (the forwarder takes the first ``s.*`` that
answers) that multiplexes each accepted connection over its stdout and stdin.
This side opens one connection to this process's own proxy socket for the
workspace per connection there and pipes bytes both ways.

Frames, both ways: a 4-byte connection id, a 1-byte type, a 4-byte payload
length (big-endian), the payload (at most 64 KiB).

- OPEN (container → app): a connection was accepted; no payload.
- DATA: bytes of that connection.
- CLOSE: the sender's side ended. From the container: the client sent its
  end (the app shuts its writing side to the proxy down and goes on reading
  until the proxy is done). From the app: the connection is over (the relay
  closes its client); also how the app refuses an OPEN.
- READY (container → app, id 0): the relay listens.

Everything from the container is hostile: a frame over 64 KiB or of an
unknown type ends the relay; more than MAX_CONNECTIONS connections at once
are refused (closed); nothing of a payload is interpreted here.
"""

from __future__ import annotations

import logging
import queue
import secrets
import socket
import struct
import threading
from pathlib import Path
from typing import Callable, Iterator, Protocol

from desktop.containers.engine import Engine
from desktop.containers.exec import ExecStream
from desktop.containers.workspace_container import KEEPER_USER, PROXY_MOUNT

log = logging.getLogger(__name__)

OPEN, DATA, CLOSE, READY = 1, 2, 3, 4
HEADER = struct.Struct(">IBI")
MAX_PAYLOAD = 64 * 1024
MAX_CONNECTIONS = 64
READY_SECONDS = 20.0
RELAY_PREFIX = "s.relay."

# Runs as the keeper (which the agent cannot signal); exits when its stdin
# closes (the app ended the exec, or went away), removing its socket.
RELAY = r"""
use strict; use IO::Socket::UNIX; use IO::Select;
$SIG{PIPE} = 'IGNORE';
my $path = 'MOUNT/PREFIX' . $ARGV[0];
for my $old (glob('MOUNT/PREFIX*')) { IO::Socket::UNIX->new(Peer => $old) or unlink $old; }
unlink $path;
my $listen = IO::Socket::UNIX->new(Local => $path, Listen => 64) or die "relay: $!\n";
chmod 0666, $path;
my (%conn, %reading); my $next = 1; my $in = '';
my $select = IO::Select->new($listen, \*STDIN);
sub quit { unlink $path; exit 0; }
sub frame {
  my ($id, $type, $data) = @_; $data = '' unless defined $data;
  my $out = pack('NCN', $id, $type, length $data) . $data;
  while (length $out) { my $w = syswrite(STDOUT, $out); quit() unless $w; substr($out, 0, $w) = ''; }
}
sub drop { my $s = delete $conn{$_[0]} or return; $select->remove($s) if delete $reading{$_[0]}; close $s; }
frame(0, 4);
while (1) {
  for my $fh ($select->can_read) {
    if ($fh == $listen) {
      my $c = $listen->accept or next;
      if (scalar(keys %conn) >= MAXC) { close $c; next; }
      my $id = $next++; $conn{$id} = $c; $reading{$id} = 1; $select->add($c); frame($id, 1);
    } elsif (fileno($fh) == fileno(STDIN)) {
      my $n = sysread(STDIN, $in, 65536, length $in); quit() unless $n;
      while (length($in) >= 9) {
        my ($id, $type, $len) = unpack('NCN', $in);
        quit() if $len > 65536 or ($type != 2 and $type != 3);
        last if length($in) < 9 + $len;
        my $data = substr($in, 9, $len); substr($in, 0, 9 + $len) = '';
        my $c = $conn{$id} or next;
        if ($type == 3) { drop($id); next; }
        while (length $data) {
          my $w = syswrite($c, $data);
          if (!$w) { drop($id); frame($id, 3); last; }
          substr($data, 0, $w) = '';
        }
      }
    } else {
      my ($id) = grep { $reading{$_} && $conn{$_} == $fh } keys %reading;
      next unless $id;
      my $n = sysread($fh, my $data, 65536);
      if ($n) { frame($id, 2, $data); }
      else { delete $reading{$id}; $select->remove($fh); frame($id, 3); }
    }
  }
}
""".replace("MOUNT", PROXY_MOUNT).replace("PREFIX", RELAY_PREFIX).replace("MAXC", str(MAX_CONNECTIONS))


class RelayError(Exception):
    """The container broke the protocol: the relay ends."""


class FrameReader:
    """Frames out of the bytes the container wrote, bounded; nothing of a
    payload is interpreted."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[int, int, bytes]]:
        self._buffer += data
        frames: list[tuple[int, int, bytes]] = []
        while len(self._buffer) >= HEADER.size:
            conn, kind, size = HEADER.unpack_from(self._buffer)
            if kind not in (OPEN, DATA, CLOSE, READY):
                raise RelayError(f"a frame of unknown type {kind}")
            if size > MAX_PAYLOAD:
                raise RelayError(f"a frame of {size} bytes (at most {MAX_PAYLOAD})")
            if len(self._buffer) < HEADER.size + size:
                break
            frames.append((conn, kind, bytes(self._buffer[HEADER.size:HEADER.size + size])))
            del self._buffer[:HEADER.size + size]
        return frames


def frame(conn: int, kind: int, payload: bytes = b"") -> bytes:
    return HEADER.pack(conn, kind, len(payload)) + payload


class Stream(Protocol):
    """What the relay needs of an exec stream (desktop.containers.exec.ExecStream)."""

    def chunks(self) -> Iterator[tuple[bytes | None, bytes | None]]: ...
    def write(self, data: bytes) -> None: ...
    def close(self) -> None: ...


MAX_QUEUED_BYTES = 16 * 1024 * 1024  # one connection's bytes waiting for the proxy; more ends it


class _Outbox:
    """Bytes for one proxy connection, sent in order by ``deliver`` on its own
    thread; None means the client is done sending. Bounded: a connection
    whose proxy does not read past MAX_QUEUED_BYTES is ended."""

    def __init__(self, proxy: socket.socket) -> None:
        self._proxy = proxy
        self._queue: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._queued = 0
        self._done = False

    def put(self, data: bytes | None) -> None:
        with self._lock:
            if self._done:
                return
            if data is None:
                self._done = True
            else:
                self._queued += len(data)
                if self._queued > MAX_QUEUED_BYTES:
                    self._done = True
                    _shut(self._proxy, socket.SHUT_RDWR)  # its pump ends the connection
                    data = None
        self._queue.put(data)

    def deliver(self) -> None:
        while (data := self._queue.get()) is not None:
            with self._lock:
                self._queued -= len(data)
            try:
                self._proxy.sendall(data)
            except OSError:
                _shut(self._proxy, socket.SHUT_RDWR)  # its pump ends the connection
                return
        _shut(self._proxy, socket.SHUT_WR)


class Relay:
    """This side of one relay: reads the container's frames on a thread of
    its own; one thread per connection reads the proxy's answers."""

    def __init__(self, stream: Stream, connect: Callable[[], socket.socket], label: str) -> None:
        self._stream = stream
        self._connect = connect
        self._label = label
        self._write_lock = threading.Lock()
        self._lock = threading.Lock()
        self._conns: dict[int, socket.socket] = {}
        # What the container sent for each connection, delivered to the proxy by
        # a thread of that connection: the reader never waits on the proxy, so the
        # relay's writes to its stdout always drain (else the relay, blocked on
        # its stdout, stops reading its stdin, where a pump waits: a deadlock).
        self._outboxes: dict[int, _Outbox] = {}
        self.ready = threading.Event()
        self.ended = threading.Event()
        self._settled = threading.Event()  # ready, or ended before it was
        self._thread = threading.Thread(target=self._read, name=f"relay-{label}", daemon=True)

    def start(self, wait: float = READY_SECONDS) -> bool:
        """Start reading; whether the relay said it listens within ``wait`` seconds."""
        self._thread.start()
        self._settled.wait(wait)
        return self.ready.is_set() and not self.ended.is_set()

    @property
    def connections(self) -> int:
        with self._lock:
            return len(self._conns)

    def _send(self, conn: int, kind: int, payload: bytes = b"") -> None:
        with self._write_lock:
            self._stream.write(frame(conn, kind, payload))

    def _read(self) -> None:
        frames = FrameReader()
        try:
            for out, err in self._stream.chunks():
                if err:
                    log.debug("the relay of %s wrote to stderr: %r", self._label, err[:200])
                if out:
                    for conn, kind, payload in frames.feed(out):
                        self._dispatch(conn, kind, payload)
        except RelayError as error:
            log.warning("the proxy relay of %s ended: %s", self._label, error)
        except Exception as error:  # noqa: BLE001 - the engine went away, the exec ended: started again next time
            log.info("the proxy relay of %s ended: %s", self._label, error)
        finally:
            self.stop()

    def _dispatch(self, conn: int, kind: int, payload: bytes) -> None:
        if kind == READY:
            self.ready.set()
            self._settled.set()
        elif kind == OPEN:
            with self._lock:
                if conn in self._conns:
                    raise RelayError(f"connection {conn} opened twice")
                full = len(self._conns) >= MAX_CONNECTIONS
            if full or conn == 0 or payload:
                self._send(conn, CLOSE)
                return
            try:
                proxy = self._connect()
            except OSError as error:
                log.warning("the proxy of %s did not answer its relay: %s", self._label, error)
                self._send(conn, CLOSE)
                return
            outbox = _Outbox(proxy)
            with self._lock:
                self._conns[conn] = proxy
                self._outboxes[conn] = outbox
            threading.Thread(target=self._pump, args=(conn, proxy), name=f"relay-{self._label}-{conn}",
                             daemon=True).start()
            threading.Thread(target=outbox.deliver, name=f"relay-{self._label}-{conn}-out", daemon=True).start()
        elif kind == DATA:
            with self._lock:
                outbox = self._outboxes.get(conn)
            if outbox is not None:  # else closed here meanwhile
                outbox.put(payload)
        elif kind == CLOSE:
            with self._lock:
                outbox = self._outboxes.get(conn)
            if outbox is not None:
                outbox.put(None)  # the client is done sending; the answer still comes

    def _pump(self, conn: int, proxy: socket.socket) -> None:
        try:
            while data := proxy.recv(MAX_PAYLOAD):
                self._send(conn, DATA, data)
        except Exception:  # noqa: BLE001 - the proxy or the exec went away: the connection ends
            pass
        finally:
            with self._lock:
                self._conns.pop(conn, None)
                outbox = self._outboxes.pop(conn, None)
            if outbox is not None:
                outbox.put(None)
            proxy.close()
            if not self.ended.is_set():
                try:
                    self._send(conn, CLOSE)
                except Exception:  # noqa: BLE001 - the exec ended meanwhile
                    self.stop()

    def stop(self) -> None:
        """End the exec (the relay in the container exits as its stdin closes)
        and every connection (idempotent)."""
        if self.ended.is_set():
            return
        self.ended.set()
        self._settled.set()
        try:
            self._stream.close()
        except Exception:  # noqa: BLE001 - already gone
            pass
        with self._lock:
            conns = list(self._conns.values())
            outboxes = list(self._outboxes.values())
        for proxy in conns:
            _shut(proxy, socket.SHUT_RDWR)
        for outbox in outboxes:
            outbox.put(None)  # its thread ends


def _shut(sock: socket.socket, how: int) -> None:
    try:
        sock.shutdown(how)
    except OSError:
        pass


def _connect_to(path: Path) -> Callable[[], socket.socket]:
    def connect() -> socket.socket:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(str(path))
        except OSError:
            sock.close()
            raise
        return sock
    return connect


class ProxyRelays:
    """This app process's relays: one per workspace (and container) on an
    added engine, started when a task or a terminal needs it, again after its
    exec ended, all stopped with the app context."""

    def __init__(self) -> None:
        self._relays: dict[str, tuple[str, Relay]] = {}
        self._starting: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._closed = False

    def ensure(self, engine: Engine, workspace_id: str, container_id: str, proxy_socket: Path) -> bool:
        """A running relay into the container to ``proxy_socket``; False if it
        could not start (the caller says why the agent has no way out)."""
        with self._lock:
            if self._closed:
                return False
            starting = self._starting.setdefault(workspace_id, threading.Lock())
        with starting:
            with self._lock:
                found = self._relays.get(workspace_id)
            if found is not None:
                if found[0] == container_id and not found[1].ended.is_set():
                    return True
                found[1].stop()
            try:
                stream = ExecStream(engine, container_id, ["perl", "-e", RELAY, secrets.token_hex(8)],
                                    user=KEEPER_USER, workdir="/", stdin=True)
            except Exception as error:  # noqa: BLE001 - said by the caller, in words
                log.warning("the proxy relay of %s did not start: %s", workspace_id, error)
                return False
            relay = Relay(stream, _connect_to(proxy_socket), workspace_id)
            if not relay.start():
                log.warning("the proxy relay of %s did not start listening", workspace_id)
                relay.stop()
                return False
            with self._lock:
                if self._closed:
                    relay.stop()
                    return False
                self._relays[workspace_id] = (container_id, relay)
            return True

    def stop(self, workspace_id: str) -> None:
        with self._lock:
            found = self._relays.pop(workspace_id, None)
        if found is not None:
            found[1].stop()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            relays, self._relays = list(self._relays.values()), {}
        for _, relay in relays:
            relay.stop()

