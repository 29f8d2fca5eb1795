#!/usr/bin/env bash
# Prints the home of a JDK whose major version is at least $1 (default 25): JAVA_HOME if it
# qualifies, else the newest under /usr/lib/jvm. Exits 1 with a message when there is none.
set -u
want=${1:-25}
major_of() { # $1 = JDK home; prints its major version from the release file, or nothing
  local v
  [ -x "$1/bin/javac" ] && [ -f "$1/release" ] || return 0
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  printf '%s' "$v"
}
if [ -n "${JAVA_HOME:-}" ]; then
  m=$(major_of "$JAVA_HOME")
  if [ -n "$m" ] && [ "$m" -ge "$want" ]; then printf '%s\n' "$JAVA_HOME"; exit 0; fi
fi
best=""; bestm=0
for d in /usr/lib/jvm/*/; do
  d=${d%/}
  [ -L "$d" ] && continue
  m=$(major_of "$d")
  [ -n "$m" ] || continue
  if [ "$m" -ge "$want" ] && [ "$m" -gt "$bestm" ]; then best=$d; bestm=$m; fi
done
if [ -z "$best" ]; then
  echo "find-jdk: no JDK $want or newer in JAVA_HOME or /usr/lib/jvm; install one (apt install openjdk-$want-jdk-headless, or Temurin $want) and set JAVA_HOME" >&2
  exit 1
fi
printf '%s\n' "$best"
