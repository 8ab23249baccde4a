# Finds a JDK 25 and exports JAVA_HOME: $JAVA_HOME if it is 25 or newer, else /usr/lib/jvm/temurin-*.
# Sourced by bin/capstan and bin/test.

capstan_java_feature() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
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
