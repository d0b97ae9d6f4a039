"""Ending the agent's processes in its container, but never a person's terminal.

Tasks and terminals run as the same user (uid 1000, "agent"), so both can
write the working copy. A terminal's exec runs with another primary group
(``TERMINAL_GID``): the sweep before and after every task ends every process
of the agent's user except those of that group. The agent cannot join it:
its container has no capabilities (no setgid) and no-new-privileges (no
set-group-id program helps), so nothing the agent starts survives a sweep by
calling itself a terminal. The group also keeps the agent out of a
terminal's processes: ptrace and /proc/PID/environ need the same uid *and*
gid.

Both programs are Perl (the image has perl-base and no other runtime) and
take their parameters as arguments, so a shell can pass them to ``perl -e``.
A pass stops every victim before killing it (a stopped process cannot fork),
and passes repeat until one finds nothing left, so a process forking in a
loop cannot outrun the sweep.
"""

from __future__ import annotations

AGENT_UID = 1000
TERMINAL_GID = 1001
MAX_PASSES = 200

# perl -e SWEEP KEEP_PID: every live process whose real uid is AGENT_UID and
# whose real gid is not TERMINAL_GID, but KEEP_PID (the calling shell).
SWEEP = r"""
use strict; my ($keep) = @ARGV;
for my $pass (1 .. MAXPASSES) {
  my @victims;
  opendir(my $d, "/proc") or last;
  for my $p (grep { /^\d+$/ } readdir $d) {
    next if $p == $$ or $p == $keep;
    open(my $f, "<", "/proc/$p/status") or next;
    my ($uid, $gid, $zombie) = (-1, -1, 0);
    while (<$f>) {
      $uid = $1 if /^Uid:\s+(\d+)/; $gid = $1 if /^Gid:\s+(\d+)/; $zombie = 1 if /^State:\s+[ZX]/;
    }
    push @victims, $p if $uid == AGENTUID and $gid != TERMINALGID and !$zombie;
  }
  last unless @victims;
  kill "STOP", @victims; kill "KILL", @victims;
}
"""

# perl -e END_TERMINAL TOKEN, run as the terminal's user and group: every
# process of one terminal, which are those carrying its token in their
# environment and those in the session of a process that does (the shell is
# its session's leader). The agent can read neither: another group's.
END_TERMINAL = r"""
use strict; my ($token) = @ARGV; my $mark = "AICODE_TERMINAL=$token";
for my $pass (1 .. MAXPASSES) {
  my (%info, %sessions);
  opendir(my $d, "/proc") or last;
  for my $p (grep { /^\d+$/ } readdir $d) {
    next if $p == $$;
    open(my $s, "<", "/proc/$p/stat") or next;
    my $stat = <$s>; $stat =~ s/^.*\)\s+//;
    my ($state, $ppid, $pgrp, $sid) = split / /, $stat;
    next if $state =~ /[ZX]/;
    my $marked = 0;
    if (open(my $e, "<", "/proc/$p/environ")) {
      local $/; my $env = <$e> // ""; $marked = grep { $_ eq $mark } split /\0/, $env;
    }
    $info{$p} = [$sid, $marked]; $sessions{$sid} = 1 if $marked;
  }
  my @victims = grep { $info{$_}[1] or $sessions{$info{$_}[0]} } keys %info;
  last unless @victims;
  kill "STOP", @victims; kill "KILL", @victims;
}
"""


def _filled(program: str) -> str:
    return (program.replace("MAXPASSES", str(MAX_PASSES)).replace("AGENTUID", str(AGENT_UID))
            .replace("TERMINALGID", str(TERMINAL_GID)).strip())


SWEEP_PROGRAM = _filled(SWEEP)
END_TERMINAL_PROGRAM = _filled(END_TERMINAL)
assert "'" not in SWEEP_PROGRAM, "the sweep goes into a single-quoted shell word"


def sweep_shell_function() -> str:
    """``sweep``: the shell function of the task script."""
    return f"sweep() {{ perl -e '{SWEEP_PROGRAM}' \"$$\" 2>/dev/null; }}"


def end_terminal_argv(token: str) -> list[str]:
    """End every process of the terminal that carries ``token``."""
    if not token.isalnum():
        raise ValueError("a terminal's token is letters and digits")
    return ["perl", "-e", END_TERMINAL_PROGRAM, token]
