"""Offline reading of vendor invoice PDFs: invoices per second, time per two-page invoice and field accuracy.

Generates the labelled set of portal_vendor_ext's tests (tests/invoice_samples.py): N invoices of each layout with
values drawn from seeds (vendor, numbers, dates, lines, prices), then reads every one with the deterministic engine
(tools/invoice_reading, Claude off) and compares each field with its label: per field and overall accuracy, per
layout time (mean, p95) and invoices per second on one core. Goals: under 1 s per two-page invoice, at least 95 %
of the fields right. Needs no database (the options of scripts/bench are accepted and ignored).

    scripts/bench invoice_reading [--per-layout 25] [--seed 1000]
"""

import argparse
import collections
import statistics
import sys
import time
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "addons" / "portal_vendor_ext"
sys.path.insert(0, str(ADDON / "tools"))

from _helpers import plain_module
from invoice_reading import FIELDS, InvoiceReadError, read_invoice_pdf

samples = plain_module("portal_vendor_ext", "tests/invoice_samples.py", "pve_invoice_samples")


def percentile(timings: list[float], share: float) -> float:
    ordered = sorted(timings)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-layout", type=int, default=25, help="invoices per layout")
    parser.add_argument("--seed", type=int, default=1000, help="first seed (the tests use 0-4)")
    parser.add_argument("-d", "--database", help="ignored (no database needed)")
    parser.add_argument("--addons-path", help="ignored")
    args = parser.parse_args()

    start = time.perf_counter()
    labelled = [
        (layout, *samples.sample(layout, seed))
        for layout in samples.LAYOUTS
        for seed in range(args.seed, args.seed + args.per_layout)
    ]
    generated = time.perf_counter() - start
    read_invoice_pdf(labelled[0][1])  # imports and first-call caches out of the figures

    right = collections.Counter()
    per_layout_right = collections.Counter()
    timings = collections.defaultdict(list)
    errors = 0
    start = time.perf_counter()
    for layout, pdf, truth in labelled:
        began = time.perf_counter()
        try:
            reading = read_invoice_pdf(pdf).to_dict()
        except InvoiceReadError:
            errors += 1
            reading = {}
        timings[layout].append(time.perf_counter() - began)
        for name, is_right in samples.compare(reading, {name: truth[name] for name in FIELDS}).items():
            right[name] += is_right
            per_layout_right[layout] += is_right
    elapsed = time.perf_counter() - start

    count = len(labelled)
    print(
        f"{count} invoices ({args.per_layout} per layout x {len(samples.LAYOUTS)} layouts, seeds {args.seed}-"
        f"{args.seed + args.per_layout - 1}), generated in {generated:.1f} s; read in {elapsed:.1f} s = "
        f"{count / elapsed:.1f} invoices/s on one core; {errors} refused"
    )
    print(f"{'layout':<16} {'mean ms':>8} {'p95 ms':>7} {'fields right':>13}")
    for layout in samples.LAYOUTS:
        layout_timings = timings[layout]
        print(
            f"{layout:<16} {statistics.mean(layout_timings) * 1000:>8.0f} "
            f"{percentile(layout_timings, 0.95) * 1000:>7.0f} "
            f"{per_layout_right[layout] / (len(layout_timings) * len(FIELDS)):>13.1%}"
        )
    print("field accuracy:")
    for name in FIELDS:
        print(f"    {name:<16} {right[name]:>4}/{count:<4} {right[name] / count:.1%}")
    overall = sum(right.values()) / (count * len(FIELDS))
    two_pages = timings["de_multipage"]
    print(f"overall: {overall:.1%} of {count * len(FIELDS)} fields right (goal >= 95 %)")
    print(
        f"two-page invoice (de_multipage, 34-44 lines): mean {statistics.mean(two_pages) * 1000:.0f} ms, "
        f"p95 {percentile(two_pages, 0.95) * 1000:.0f} ms, max {max(two_pages) * 1000:.0f} ms (goal < 1000 ms)"
    )


if __name__ == "__main__":
    main()
