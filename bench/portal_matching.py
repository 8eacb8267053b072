"""Offline matching of quotation request lines: milliseconds per line and top-1 accuracy on the labelled set.

Generates the labelled set of portal_customer_ext's tests (tests/matching_dataset.py) for catalogs of 1,000 and
100,000 products, builds the matcher (tools/product_matcher.py) over each catalog and matches every line with its
customer's codes: index build time and memory, p50/p95/mean/max milliseconds per line, top-1 accuracy per category
and overall, and how often each confidence band (>= 0.95 fills the line, 0.85-0.95 is a proposal, below stays
text) is right. Goals: under 50 ms per line at 100,000 products, 90 % top-1. Needs no database (the options of
scripts/bench are accepted and ignored).

    scripts/bench portal_matching [--sizes 1000,100000] [--lines 220]
"""

import argparse
import collections
import gc
import statistics
import time

from _helpers import plain_module

matcher_module = plain_module("portal_customer_ext", "tools/product_matcher.py", "pce_product_matcher")
dataset_module = plain_module("portal_customer_ext", "tests/matching_dataset.py", "pce_matching_dataset")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(size: int, lines: int) -> dict:
    start = time.perf_counter()
    data = dataset_module.generate(products=size, lines=lines)
    generated = time.perf_counter() - start
    gc.collect()
    memory_before = rss_mb()
    start = time.perf_counter()
    matcher = matcher_module.ProductMatcher(
        matcher_module.CatalogProduct(product["id"], product["name"], product["default_code"], product["barcode"])
        for product in data["products"]
    )
    built = time.perf_counter() - start
    memory = rss_mb() - memory_before
    per_category = collections.defaultdict(lambda: [0, 0])
    bands = collections.defaultdict(lambda: [0, 0])
    timings = []
    for line in data["lines"]:
        codes = data["customer_codes"][line["customer"]] if line["customer"] else None
        start = time.perf_counter()
        matches = matcher.match(line["text"], codes)
        timings.append((time.perf_counter() - start) * 1000)
        right = bool(matches) and matches[0].product_id == line["product_id"]
        per_category[line["category"]][0] += right
        per_category[line["category"]][1] += 1
        confidence = matches[0].confidence if matches else 0.0
        band = ">= 0.95" if confidence >= 0.95 else ("0.85-0.95" if confidence >= 0.85 else "< 0.85")
        bands[band][0] += right
        bands[band][1] += 1
    right = sum(value[0] for value in per_category.values())
    return {
        "size": size,
        "lines": len(data["lines"]),
        "generated": generated,
        "built": built,
        "memory": memory,
        "vocabulary": len(matcher._vocabulary),
        "timings": timings,
        "accuracy": right / len(data["lines"]),
        "per_category": per_category,
        "bands": bands,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="catalog sizes, comma-separated")
    parser.add_argument("--lines", type=int, default=220, help="labelled lines per catalog")
    parser.add_argument("-d", "--database", help="ignored (no database needed)")
    parser.add_argument("--addons-path", help="ignored")
    args = parser.parse_args()
    results = [run(int(size), args.lines) for size in args.sizes.split(",")]
    for result in results:
        timings = result["timings"]
        print(
            f"{result['size']:,} products ({result['vocabulary']:,} distinct words), {result['lines']} lines "
            f"(set generated in {result['generated']:.1f} s)"
        )
        print(f"    index built in {result['built'] * 1000:.0f} ms, {result['memory']:.0f} MB")
        print(
            f"    per line: p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
            f"mean {statistics.mean(timings):.1f} ms, max {max(timings):.1f} ms (first line {timings[0]:.1f} ms)"
        )
        print(f"    top-1 accuracy {result['accuracy']:.1%}")
        for category in dataset_module.CATEGORIES:
            right, total = result["per_category"][category]
            print(f"        {category:<16} {right:>3}/{total:<3} {right / total:.0%}")
        for band in (">= 0.95", "0.85-0.95", "< 0.85"):
            right, total = result["bands"][band]
            share = f"{right / total:.0%} right" if total else "-"
            print(f"    confidence {band:<9}: {total:>3} lines, {share}")
    largest = max(results, key=lambda result: result["size"])
    p95 = percentile(largest["timings"], 0.95)
    print(
        f"goals at {largest['size']:,} products: under 50 ms per line (p95 {p95:.1f} ms: "
        f"{'met' if p95 < 50 else 'NOT met'}); 90 % top-1 ({largest['accuracy']:.1%}: "
        f"{'met' if largest['accuracy'] >= 0.9 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
