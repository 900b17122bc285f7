"""Rapport's lifetime-value models against Python lifetimes on the same logs, in one run.

Run through bench/clv_vs_lifetimes.sh, which makes the virtualenv and the simulated log.

Both tools do the same work on the same CSV (customer_id,date,amount):
  read the CSV; summarise each customer (frequency, recency, T, mean repeat spend) with
  purchases counted per calendar day and time in weeks; fit BG/NBD and Gamma-Gamma by maximum
  likelihood; per customer P(alive), expected purchases over the next 365/7 weeks and the
  lifetime value of the next 12 months discounted at 1% a month.

Counting per day with weeks as the unit is lifetimes'
`summary_data_from_transaction_data(..., freq='D', freq_multiplier=7)`, and what the published
CDNOW estimates use. `freq='W'` instead would count purchase *weeks* (two purchases in one week
are one) and give other parameters.

Rapport is timed as a whole process (`rapport clv fit --json`, start-up and exit included).
lifetimes is timed inside its process from reading the CSV to the last lifetime value:
interpreter start-up and imports (about 1.5 s) are left out, which favours lifetimes; its
process wall time is shown beside it. Neither timed run writes the per-customer results; each
tool writes them once more, untimed, for the per-customer comparison.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HORIZON_WEEKS = 365 / 7
MONTHS = 12
MONTHLY_DISCOUNT = 0.01
PARAMETERS = [("bgnbd", "r"), ("bgnbd", "alpha"), ("bgnbd", "a"), ("bgnbd", "b"),
              ("gamma_gamma", "p"), ("gamma_gamma", "q"), ("gamma_gamma", "gamma")]
MAX_PARAMETER_DIFFERENCE = 1e-3
MIN_SPEED_UP = 20.0


def lifetimes_run(args):
    """One end-to-end lifetimes run in this process; prints a JSON line of figures."""
    import warnings

    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    warnings.simplefilter("ignore")
    stages = {}
    started = last = time.perf_counter()

    def stage(name):
        nonlocal last
        now = time.perf_counter()
        stages[name] = now - last
        last = now

    log = pd.read_csv(args.input, parse_dates=["date"])
    stage("read")
    s = summary_data_from_transaction_data(
        log, "customer_id", "date", monetary_value_col="amount",
        observation_period_end=args.calibration_end, freq="D", freq_multiplier=7)
    stage("summary")
    bgf = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    stage("bgnbd")
    # As in Rapport: customers with repeat purchases and positive spend.
    spenders = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
    ggf = GammaGammaFitter().fit(spenders["frequency"], spenders["monetary_value"])
    stage("gamma_gamma")
    s["probability_alive"] = bgf.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
    s["expected_purchases"] = bgf.predict(HORIZON_WEEKS, s["frequency"], s["recency"], s["T"])
    stage("predictions")
    s["expected_spend"] = ggf.conditional_expected_average_profit(s["frequency"], s["monetary_value"])
    s["lifetime_value"] = ggf.customer_lifetime_value(
        bgf, s["frequency"], s["recency"], s["T"], s["monetary_value"],
        time=MONTHS, discount_rate=MONTHLY_DISCOUNT, freq="W")
    stage("lifetime_value")
    seconds = time.perf_counter() - started
    if args.predictions:
        s.to_csv(args.predictions, index_label="customer_id")
    bg, gg = bgf.params_, ggf.params_
    print(json.dumps({
        "seconds": seconds,
        "stages": stages,
        "customers": len(s),
        "bgnbd": {"r": bg["r"], "alpha": bg["alpha"], "a": bg["a"], "b": bg["b"]},
        "gamma_gamma": {"p": gg["p"], "q": gg["q"], "gamma": gg["v"]},
        "total_lifetime_value": float(s["lifetime_value"].sum()),
    }))


def timed(command):
    """Runs a command; returns (wall seconds, peak RSS in MiB, stdout)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"failed ({child.returncode}): {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024, out


def run_rapport(args, dataset, predictions=None):
    command = [args.rapport, "clv", "fit", "--input", dataset["input"], "--period", "week",
               "--calibration-end", dataset["calibration_end"],
               "--observation-end", dataset["calibration_end"],
               "--months", str(MONTHS), "--discount-rate", str(MONTHLY_DISCOUNT),
               "--horizon", repr(HORIZON_WEEKS), "--json"]
    if predictions:
        command += ["--predictions", predictions]
    seconds, rss, out = timed(command)
    report = json.loads(out)
    return {
        "seconds": seconds,
        "rss": rss,
        "inside": report["elapsed_seconds"],
        "customers": report["customers"],
        "bgnbd": report["bgnbd"],
        "gamma_gamma": report["gamma_gamma"],
        "total_lifetime_value": report["value"]["total_lifetime_value"],
    }


def run_lifetimes(args, dataset, predictions):
    command = [sys.executable, __file__, "lifetimes-run", "--input", dataset["input"],
               "--calibration-end", dataset["calibration_end"], "--predictions", predictions]
    wall, rss, out = timed(command)
    figures = json.loads(out.strip().splitlines()[-1])
    figures.update(wall=wall, rss=rss)
    return figures


def median_of(runs, key):
    return statistics.median(r[key] for r in runs)


def compare_customers(rapport_csv, lifetimes_csv):
    """Largest per-customer differences between the two predictions files."""
    import pandas as pd

    ours = pd.read_csv(rapport_csv, index_col="customer_id").sort_index()
    theirs = pd.read_csv(lifetimes_csv, index_col="customer_id").sort_index()
    if not ours.index.equals(theirs.index):
        return {"same_customers": False}
    same = lambda a, b: bool((ours[a] == theirs[b]).all())  # noqa: E731
    diff = lambda a, b: float((ours[a] - theirs[b]).abs().max())  # noqa: E731
    return {
        "same_customers": True,
        "same_summary": same("frequency", "frequency")
        and diff("recency", "recency") < 1e-9 and diff("age", "T") < 1e-9
        and diff("monetary_value", "monetary_value") < 0.006,
        "probability_alive": diff("probability_alive", "probability_alive"),
        "expected_purchases": diff("expected_purchases", "expected_purchases"),
        "lifetime_value": diff("lifetime_value", "lifetime_value"),
    }


def relative_difference(a, b):
    return abs(a - b) / max(abs(a), abs(b))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode")
    one = sub.add_parser("lifetimes-run")
    one.add_argument("--input", required=True)
    one.add_argument("--calibration-end", required=True)
    one.add_argument("--predictions")
    parser.add_argument("--rapport", default="target/release/rapport")
    parser.add_argument("--cdnow", default="data/cdnow_sample.csv")
    parser.add_argument("--simulated", required=False)
    parser.add_argument("--work", default="target/clv-bench")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool on CDNOW (medians)")
    parser.add_argument("--large-runs", type=int, default=1, help="lifetimes runs on the large log")
    args = parser.parse_args()
    if args.mode == "lifetimes-run":
        return lifetimes_run(args)

    datasets = [{"name": "CDNOW sample", "input": args.cdnow, "calibration_end": "1997-09-30",
                 "rapport_runs": args.runs, "lifetimes_runs": args.runs}]
    if args.simulated:
        datasets.append({"name": "simulated 1M", "input": args.simulated, "calibration_end": "1998-06-30",
                         "rapport_runs": 3, "lifetimes_runs": args.large_runs})
    failures = []
    rows = []
    for d in datasets:
        tag = d["name"].split()[0].lower()
        ours_csv = os.path.join(args.work, f"{tag}-rapport.csv")
        theirs_csv = os.path.join(args.work, f"{tag}-lifetimes.csv")
        print(f"{d['name']}: {d['input']}, calibration to {d['calibration_end']}", file=sys.stderr)
        # Timed like lifetimes, with the results in memory; one more run writes them for the
        # per-customer comparison.
        ours = [run_rapport(args, d) for _ in range(d["rapport_runs"])]
        run_rapport(args, d, ours_csv)
        theirs = [run_lifetimes(args, d, theirs_csv) for _ in range(d["lifetimes_runs"])]
        o, t = ours[-1], theirs[-1]
        differences = {f"{m}.{p}": relative_difference(o[m][p], t[m][p]) for m, p in PARAMETERS}
        worst = max(differences, key=differences.get)
        speed_up = median_of(theirs, "seconds") / median_of(ours, "seconds")
        rows.append((d, ours, theirs, differences, worst, speed_up, compare_customers(ours_csv, theirs_csv)))
        if differences[worst] > MAX_PARAMETER_DIFFERENCE:
            failures.append(f"{d['name']}: {worst} differs by {differences[worst]:.2e} relative")
        if speed_up < MIN_SPEED_UP:
            failures.append(f"{d['name']}: Rapport is only {speed_up:.1f}x faster")

    print("| dataset | customers | tool | runs | seconds (median) | process wall | peak RSS | BG/NBD r, α, a, b | Gamma-Gamma p, q, γ |")
    print("|---|---|---|---|---|---|---|---|---|")
    for d, ours, theirs, _, _, _, _ in rows:
        for tool, runs, key in (("Rapport", ours, "seconds"), ("lifetimes", theirs, "seconds")):
            r = runs[-1]
            bg, gg = r["bgnbd"], r["gamma_gamma"]
            print(f"| {d['name']} | {r['customers']:,} | {tool} | {len(runs)} | {median_of(runs, key):.3f} "
                  f"| {median_of(runs, 'wall' if tool == 'lifetimes' else 'seconds'):.3f} "
                  f"| {max(x['rss'] for x in runs):.0f} MiB "
                  f"| {bg['r']:.4f}, {bg['alpha']:.4f}, {bg['a']:.4f}, {bg['b']:.4f} "
                  f"| {gg['p']:.4f}, {gg['q']:.4f}, {gg['gamma']:.4f} |")
    print()
    print("| dataset | speed-up | largest parameter difference (relative) | P(alive) | expected purchases | lifetime value | total lifetime value |")
    print("|---|---|---|---|---|---|---|")
    for d, ours, theirs, differences, worst, speed_up, customers in rows:
        total = relative_difference(ours[-1]["total_lifetime_value"], theirs[-1]["total_lifetime_value"])
        if customers.get("same_customers"):
            per = (f"{customers['probability_alive']:.1e} | {customers['expected_purchases']:.1e} "
                   f"| {customers['lifetime_value']:.2f}")
            if not customers["same_summary"]:
                failures.append(f"{d['name']}: the customer summaries differ")
        else:
            per = "different customers | | "
            failures.append(f"{d['name']}: the tools valued different customers")
        print(f"| {d['name']} | {speed_up:.1f}x | {differences[worst]:.1e} ({worst}) | {per} | {total:.1e} |")
    print()
    print("Per-customer columns: largest absolute difference (Rapport's CSV rounds P(alive) and "
          "expected purchases to 6 decimals, lifetime value to cents).")
    stages = {d["name"]: {k: round(v, 3) for k, v in theirs[-1]["stages"].items()} for d, _, theirs, *_ in rows}
    print(f"lifetimes stages (s, last run): {json.dumps(stages)}")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
