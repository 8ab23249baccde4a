# Finds a JDK 25 and exports JAVA_HOME: $JAVA_HOME if it is 25 or newer, else /usr/lib/jvm/temurin-*.
# Sourced by bin/capstan and bin/test.

capstan_java_feature() {
  # The JDK's release file answers at once; asking the java binary costs a JVM start.
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
  fi
}

capstan_find_jdk() {
  local d v
  for d in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/temurin-*; do
    [ -x "$d/bin/java" ] || continue
    v=$(capstan_java_feature "$d")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$d"
      return 0
    fi
  done
  echo "capstan: no JDK 25 found. Looked at JAVA_HOME (${JAVA_HOME:-unset}) and /usr/lib/jvm/temurin-*." >&2
  echo "capstan: install a JDK 25 (Temurin 25) under /usr/lib/jvm, or set JAVA_HOME to one." >&2
  return 1
}
