#!/usr/bin/env bash
# The load benchmark (integration-tests/src/test/java/org/safeguarding/hub/bench/LoadBenchmark.java), from the
# repository root:
#
#   integration-tests/bench-load.sh [--no-build] [--hub-jar PATH | --hub-rev REV] [LoadBenchmark options]
#
# Builds this tree with the reactor (mvn -DskipTests package, never install) and runs the benchmark with its test
# class path; the hub under load is this tree's routes/target/hub.jar unless
#   --hub-jar PATH   names another build's routes/target/hub.jar (its lib/ beside it), or
#   --hub-rev REV    exports commit REV (git archive) into integration-tests/target/bench-hub-REV, builds its hub there
#                    (mvn -DskipTests -pl routes -am package) and runs that one: the same load, settings and
#                    measurement against any commit.
#   --no-build       uses the last build as it is.
# BENCH_MVN_FLAGS (e.g. -o) is passed to Maven, BENCH_JAVA_OPTS to the benchmark's own JVM.
# LoadBenchmark --help lists the options; the defaults are a modest run of about 2 minutes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IT="$ROOT/integration-tests"
MVN=(mvn -q -B ${BENCH_MVN_FLAGS:-})
BUILD=1
HUB_JAR=""
HUB_REV=""
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0; shift ;;
    --hub-jar) HUB_JAR="$2"; shift 2 ;;
    --hub-rev) HUB_REV="$2"; shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
CLASSPATH_FILE="$IT/target/bench.classpath"
if [ "$BUILD" = 1 ] || [ ! -f "$CLASSPATH_FILE" ]; then
  echo "bench-load: building (mvn -DskipTests package) ..." >&2
  (cd "$ROOT" && "${MVN[@]}" -DskipTests -pl integration-tests -am package dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE")
fi
LABEL="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then LABEL="$LABEL+changes"; fi
if [ -n "$HUB_REV" ]; then
  COMMIT="$(git -C "$ROOT" rev-parse --short "$HUB_REV^{commit}")"
  SRC="$IT/target/bench-hub-$COMMIT"
  if [ ! -f "$SRC/routes/target/hub.jar" ]; then
    echo "bench-load: building the hub of $COMMIT in $SRC ..." >&2
    rm -rf "$SRC" && mkdir -p "$SRC"
    git -C "$ROOT" archive --format=tar "$COMMIT" | tar -x -C "$SRC"
    (cd "$SRC" && "${MVN[@]}" -DskipTests -pl routes -am package)
  fi
  HUB_JAR="$SRC/routes/target/hub.jar"
  LABEL="hub $COMMIT, load generator $LABEL"
elif [ -n "$HUB_JAR" ]; then
  LABEL="hub $HUB_JAR, load generator $LABEL"
else
  HUB_JAR="$ROOT/routes/target/hub.jar"
  LABEL="hub and load generator $LABEL"
fi
[ -f "$HUB_JAR" ] || { echo "bench-load: no hub at $HUB_JAR" >&2; exit 1; }
exec java ${BENCH_JAVA_OPTS:-} -cp "$IT/target/test-classes:$(cat "$CLASSPATH_FILE")" \
  org.safeguarding.hub.bench.LoadBenchmark --hub-classpath "$HUB_JAR" --label "$LABEL" "${ARGS[@]}"
