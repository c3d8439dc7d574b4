#!/usr/bin/env python3
"""Runs `zhkg extract --jsonl` as the map step of a PySpark job.

Input: a JSON-lines file of article records (`{"path": "/abs/article.txt"}`
or `{"id": …, "text": …}`), one per line. Each partition of it is piped
through `zhkg extract --jsonl` (`RDD.pipe`); the N-Quads lines that come out
are de-duplicated (`distinct`: an entity description is emitted by every
article that names it) and collected into one sorted file (--output), or
saved as text shards (--save DIR: `part-00000`… files of N-Quads), or both.

The shards are partitioned by named graph, so that no graph is split between
two files: `zhkg load --format nquads DIR/part-*` then gives the store a
`zhkg build` would have made (`zhkg load` replaces each graph a file names,
so a graph split across shards would keep only its last shard's part).

    python3 scripts/spark_map.py --zhkg target/release/zhkg \\
        --input records.jsonl --output graph.nq --master 'local[2]'

On a cluster, the zhkg binary must exist at the same path on every worker
(ship it with `--files` or install it there) and the `path`s must be readable
by the workers (or send the text in the records instead).
"""
import argparse
import os
import re
import sys

GRAPH = re.compile(r"<([^<>]*)>\s*\.\s*$")


def graph_of(line):
    """The graph IRI of a line of zhkg's N-Quads: zhkg puts every quad in a
    named graph, so it is the last IRI of the line."""
    m = GRAPH.search(line)
    return m.group(1) if m else ""


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--zhkg", required=True, help="absolute path of the zhkg binary")
    ap.add_argument("--input", required=True, help="JSON-lines records")
    ap.add_argument("--output", help="write the distinct lines here, sorted")
    ap.add_argument("--save", help="save the distinct lines as text shards in this folder "
                                   "(or URL: hdfs://…), one shard per partition of graphs")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--threads", default="1",
                    help="RAYON_NUM_THREADS of each zhkg process (Spark already "
                         "runs one per core)")
    a = ap.parse_args()
    if not (a.output or a.save):
        ap.error("give --output FILE or --save DIR")
    zhkg = os.path.abspath(a.zhkg)
    if not os.access(zhkg, os.X_OK):
        sys.exit(f"spark_map: {zhkg} is not an executable zhkg binary")

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master(a.master).appName("zhkg-extract")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "1g")
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    try:
        records = spark.sparkContext.textFile(
            "file://" + os.path.abspath(a.input), minPartitions=a.partitions)
        # RDD.pipe replaces the environment with `env`: give zhkg what it needs.
        quads = records.pipe(
            zhkg + " extract --jsonl",
            env={"RAYON_NUM_THREADS": a.threads, "LANG": "C.UTF-8"},
            checkCode=True,
        ).filter(lambda line: line.strip() != "").distinct()
        if a.save and a.output:
            quads = quads.cache()
        if a.save:
            save = a.save if "://" in a.save else "file://" + os.path.abspath(a.save)
            (quads.keyBy(graph_of)
             .partitionBy(a.partitions)
             .values()
             .saveAsTextFile(save))
        if a.output:
            lines = sorted(quads.collect())
            with open(a.output, "w", encoding="utf-8") as f:
                for line in lines:
                    f.write(line + "\n")
            print(f"spark_map: {records.getNumPartitions()} partitions, "
                  f"{len(lines)} distinct quads -> {a.output}", file=sys.stderr)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
