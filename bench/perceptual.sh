#!/bin/sh
# Training-step cost of the perceptual terms with full-size random-weight LPIPS-VGG16 and
# ConvNeXt-V2-Base (results: bench/perceptual.md). Run from the repository root:
#   sh bench/perceptual.sh [weights-dir]      (CASES="batch:side:patch:resolution ..." to choose cases)
# Cases: small images (batch 4, 32x32, patch 4) with crops resized to 64, and
# B/16 at batch 1 (256x256 images, patch 16) with crops resized to 224 as the paper.
set -e
DIR=${1:-/tmp/pmf-perceptual-bench}
[ -f "$DIR/convnextv2_base.npz" ] || /usr/bin/python3 bench/make_random_perceptual_weights.py "$DIR"
mvn -q -B -o -pl core test-compile
mvn -q -B -o -pl core dependency:build-classpath -Dmdep.outputFile="$PWD/core/target/bench.classpath" -Dmdep.includeScope=test >/dev/null
CP=$(cat core/target/bench.classpath)
# the caps keep ND4J's off-heap memory (javacpp) bounded on a shared machine
java -Xmx2g -Dorg.bytedeco.javacpp.maxbytes=5g -Dorg.bytedeco.javacpp.maxphysicalbytes=8g -cp "core/target/test-classes:core/target/classes:$CP" org.pmf.perceptual.PerceptualLossBench "$DIR" \
  ${CASES:-1:256:16:224 4:32:4:64} | grep --line-buffered '^BENCH'
