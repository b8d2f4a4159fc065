# Sourced by the bin/ scripts: sets JAVA_HOME to a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, else the newest 21+ JDK under /usr/lib/jvm.

jdk_major() { # prints the major version of the JDK at $1, or 0
  local release="$1/release" version
  if [ -f "$release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$release")
  elif [ -x "$1/bin/java" ]; then
    version=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)
  fi
  version=${version#1.}
  echo "${version%%[.+-]*}" | grep -E '^[0-9]+$' || echo 0
}

find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(jdk_major "$JAVA_HOME")" -ge 21 ]; then
    return 0
  fi
  local best="" best_major=0 dir major
  for dir in /usr/lib/jvm/*; do
    [ -x "$dir/bin/javac" ] || continue
    major=$(jdk_major "$dir")
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$dir" best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    echo "AIChatBot needs a JDK 21 or newer: set JAVA_HOME or install one under /usr/lib/jvm" >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
