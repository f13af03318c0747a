#!/usr/bin/env python3
"""The benchmark reference scenario (Benchmarks/scenarios/reference.yaml) written by hand in SimPy.

This is the model a team would write instead of using gameday: the same twelve services, three
injections, eight barriers, two responders and two modifiers, with the semantics of the gameday
scenario spec (spec/scenario.md sections 3 to 6 and 10), coded directly as SimPy processes the
way an SRE who knows SimPy would: one process per timer, flags and episode counters to cancel
what no longer applies, and a "settle" step after every change that recomputes error rates and
checks the conditions.

It is used to check gameday's statistics against an independent implementation and to compare
speed (docs/performance.md). Its random numbers come from Python's `random`, not gameday's
addressed Philox draws, so the two agree in distribution, not trial by trial.

    python3 Benchmarks/peers/reference_simpy.py --trials 50000 --seed 1 > simpy.json

Where the spec is awkward in SimPy, this file says what it does:

* Instants. The spec orders what happens at one instant (effects, then rates, then conditions,
  then people). Here every change settles at once (rates recomputed, conditions checked) and
  SimPy runs same-time events in scheduling order. The two orders differ only when two events
  fall at exactly the same time, which in this scenario has probability zero (every time that
  can coincide with another is drawn from a continuous distribution).
* Burn rate. The exact first time the one-hour average crosses its threshold is computed from
  the piecewise-constant error rate (the average is piecewise linear), as the spec asks; a
  polling loop would be the SimPy habit but would detect late by up to its period.
* Draws made "once per trial" (a detect barrier's reliability, a belief, the night modifier,
  the common-cause group) are drawn when first needed, like gameday; drawing them up front
  would give the same distribution.
"""
import argparse
import json
import math
import random
import sys
import time

import simpy

MIN = 60.0
HOUR = 3600.0
HORIZON = 12 * HOUR
TOLERANCE = 1e-12  # `*_above` is strict; a ramp to exactly the threshold does not cross it

# Services: (id, traffic per second, slo, [(dependency, weight)]), dependencies first.
SERVICES = [
    ("ledger-db", 0, None, []),
    ("orders-db", 0, None, []),
    ("cache", 0, None, []),
    ("recommendations", 0, None, [("cache", 0.5)]),
    ("search", 0, None, [("cache", 0.2)]),
    ("inventory", 0, None, [("orders-db", 1.0), ("cache", 0.5)]),
    ("payments", 0, None, [("ledger-db", 1.0)]),
    ("checkout", 0, None, [("payments", 1.0), ("inventory", 1.0), ("recommendations", 0.1)]),
    ("auth", 0, None, []),
    ("gateway", 0, None, [("auth", 1.0), ("checkout", 1.0), ("search", 0.3)]),
    ("mobile", 600 / MIN, 0.995, [("gateway", 1.0), ("recommendations", 0.05)]),
    ("web", 1200 / MIN, 0.999, [("gateway", 1.0)]),
]
TRAFFIC = [(s, traffic) for s, traffic, _, _ in SERVICES if traffic > 0]


def lognormal(rng, median, p90):
    sigma = math.log(p90 / median) / 1.2815516
    return median * math.exp(sigma * rng.gauss(0.0, 1.0))


class Injection:
    def __init__(self, name, target, error_rate, ramp_steps=1, ramp_over=0.0, recover_steps=1, recover_over=0.0):
        self.name = name
        self.target = target
        self.error_rate = error_rate
        self.ramp_steps, self.ramp_over = ramp_steps, ramp_over
        self.recover_steps, self.recover_over = recover_steps, recover_over
        self.status = "not-occurred"  # deciding, active, recovering, finished
        self.level = 0.0
        self.epoch = 0  # bumped when taken out of action: pending ramp, heal and decide steps lapse
        self.impacting = False
        self.assigned = None
        self.prevented = False

    @property
    def active(self):
        return self.status in ("deciding", "active")


class Condition:
    """`{service, error_rate_above, for}`: satisfied once it has held for `hold` seconds."""

    def __init__(self, service, above, hold, on_satisfied, on_stopped=None):
        self.service, self.above, self.hold = service, above, hold
        self.on_satisfied, self.on_stopped = on_satisfied, on_stopped
        self.holds = False
        self.satisfied = False
        self.episode = 0


class Responder:
    def __init__(self, name, ack, diagnose, accuracy, escalate_after=None, escalates_to=None):
        self.name = name
        self.ack, self.diagnose, self.accuracy = ack, diagnose, accuracy
        self.escalate_after, self.escalates_to = escalate_after, escalates_to
        self.uses = ["rollback", "db-failover"]
        self.paged = False
        self.acknowledged = False
        self.idle = False
        self.assigned = None
        self.work = 0  # bumped when a diagnosis or attempt is superseded
        self.position = 0


class Trial:
    def __init__(self, rng):
        self.rng = rng
        self.env = simpy.Environment()
        self.level_changed = False
        self.rate = {s: 0.0 for s, _, _, _ in SERVICES}
        self.weight = {(s, d): w for s, _, _, deps in SERVICES for d, w in deps}
        self.failed_rate = 0.0
        self.failed = 0.0
        self.clock = 0.0
        self.customer_errors = False
        self.first_impact = None
        self.detected = None
        self.mitigated = None
        self.occurred = 0
        self.prevented = 0
        self.active_injections = 0
        self.impacting = 0
        self.once = {}  # per-trial draws: beliefs, reliabilities, modifiers, common cause

        self.bad_deploy = Injection("bad-deploy", "checkout", 0.40, 4, 4 * MIN, 5, 10 * MIN)
        self.slow_db = Injection("slow-orders-db", "orders-db", 0.70)
        self.storm = Injection("retry-storm", "payments", 0.60)
        self.injections = [self.bad_deploy, self.slow_db, self.storm]
        self.removers = {"rollback": self.bad_deploy, "db-failover": self.slow_db}
        self.attempts = {"rollback": 0, "db-failover": 0}

        self.primary = Responder("primary-oncall", (3 * MIN, 15 * MIN), (12 * MIN, 45 * MIN), 0.80,
                                 escalate_after=15 * MIN, escalates_to="secondary-oncall")
        self.secondary = Responder("secondary-oncall", (5 * MIN, 20 * MIN), (8 * MIN, 30 * MIN), 0.90)
        self.responders = {r.name: r for r in (self.primary, self.secondary)}

        # Conditions, in the order gameday evaluates them (service, then file order).
        self.state = {}  # detect barriers: "held" or "failed" (spec section 10)
        self.alert_done = False
        self.probe_done = False
        self.probe_phase = None
        self.burn_done = False
        self.breaker_armed, self.breaker_busy, self.breaker_done = True, False, False
        self.storm_drawn = False
        self.conditions = [
            Condition("checkout", 0.30, 3 * MIN, self.storm_condition_met, self.storm_condition_ended),
            Condition("checkout", 0.05, 5 * MIN, self.alert_condition_met),
            Condition("mobile", 0.01, 0.0, self.probe_condition_met),
            Condition("payments", 0.50, 1 * MIN, self.breaker_condition_met, self.breaker_condition_ended),
        ]
        self.probe_condition = self.conditions[2]
        self.breaker_condition = self.conditions[3]
        # Burn-rate tracker of web: breakpoints of its (piecewise constant) error rate.
        self.burn_times, self.burn_values, self.burn_area = [0.0], [0.0], [0.0]
        self.burn_tail = 0
        self.burn_epoch = 0

    # -- draws made once per trial -------------------------------------------------------------

    def chance(self, key, p):
        if key not in self.once:
            self.once[key] = self.rng.random() < p
        return self.once[key]

    def belief(self, key, low, high):
        if key not in self.once:
            self.once[key] = self.rng.uniform(low, high)
        return self.once[key]

    def night(self):
        return self.chance("night", 0.30)

    # -- rates ---------------------------------------------------------------------------------

    def set_level(self, injection, level, impact=False):
        if impact and level > 0 and not injection.impacting:
            injection.impacting = True
            self.impacting += 1
        if injection.level != level:
            injection.level = level
            self.level_changed = True
        self.settle()

    def settle(self):
        """Recomputes error rates after effect changes and checks every condition, until stable."""
        while self.level_changed:
            self.level_changed = False
            now = self.env.now
            self.failed += self.failed_rate * (now - self.clock)
            self.clock = now
            web_before = self.rate["web"]
            for s, _, _, deps in SERVICES:
                passing = 1.0
                for injection in self.injections:
                    if injection.target == s:
                        passing *= 1.0 - injection.level
                for d, _ in deps:
                    passing *= 1.0 - self.weight[(s, d)] * self.rate[d]
                self.rate[s] = 1.0 - passing
            self.failed_rate = sum(traffic * self.rate[s] for s, traffic in TRAFFIC)
            errors = any(self.rate[s] > 0 for s, _ in TRAFFIC)
            if errors and not self.customer_errors and self.first_impact is None:
                self.first_impact = now
            self.customer_errors = errors
            for condition in self.conditions:
                self.evaluate(condition)
            if self.rate["web"] != web_before:
                self.burn_changed()

    def evaluate(self, c):
        holds = self.rate[c.service] > c.above + TOLERANCE
        if holds == c.holds:
            return
        c.holds = holds
        c.episode += 1
        if holds:
            self.env.process(self.hold_timer(c, c.episode))
        else:
            c.satisfied = False
            if c.on_stopped:
                c.on_stopped()

    def hold_timer(self, c, episode):
        yield self.env.timeout(c.hold)
        if c.episode == episode and c.holds:
            c.satisfied = True
            c.on_satisfied()

    # -- injections ----------------------------------------------------------------------------

    def schedule_injections(self):
        if self.rng.random() < 0.80:
            at = self.rng.uniform(0, 2 * HOUR)
            if at < HORIZON:
                self.env.process(self.occur_at(self.bad_deploy, at))
        if self.rng.random() < 0.25:
            at = self.rng.expovariate(1 / (6 * HOUR))
            if at < HORIZON:
                self.env.process(self.occur_at(self.slow_db, at))

    def occur_at(self, injection, at):
        yield self.env.timeout(at)
        self.occur(injection)

    def occur(self, injection):
        if injection.status != "not-occurred":
            return
        injection.status = "deciding"
        self.occurred += 1
        self.active_injections += 1
        if injection is self.slow_db:
            self.env.process(self.heal_after(injection, lognormal(self.rng, 45 * MIN, 3 * HOUR), injection.epoch))
        if injection is self.bad_deploy:
            self.prevent_chain(injection)
        else:
            self.take_effect(injection)
        self.reassess_responders()

    def prevent_chain(self, injection):
        # config-validation decides at once: 30% effective, in common-cause group deploy-pipeline.
        if not self.chance("deploy-pipeline", 0.10) and self.rng.random() < 0.30:
            self.prevent(injection)
            return
        # canary: 5% exposure while it decides for 15 minutes.
        self.set_level(injection, injection.error_rate * 0.05, impact=True)
        self.env.process(self.canary(injection, injection.epoch))

    def canary(self, injection, epoch):
        yield self.env.timeout(15 * MIN)
        if injection.epoch != epoch or injection.status != "deciding":
            return
        # Effectiveness drawn once per trial in [50%, 80%]; the same common-cause group.
        effectiveness = self.belief("canary.effectiveness", 0.50, 0.80)
        if not self.chance("deploy-pipeline", 0.10) and self.rng.random() < effectiveness:
            self.prevent(injection)
            return
        self.take_effect(injection)

    def prevent(self, injection):
        injection.prevented = True
        self.prevented += 1
        self.remove(injection)

    def take_effect(self, injection):
        injection.status = "active"
        n = injection.ramp_steps
        self.set_level(injection, injection.error_rate / n, impact=True)
        if n > 1:
            self.env.process(self.ramp(injection, injection.epoch))

    def ramp(self, injection, epoch):
        n = injection.ramp_steps
        start = self.env.now
        for step in range(2, n + 1):
            yield self.env.timeout(start + (step - 1) * injection.ramp_over / (n - 1) - self.env.now)
            if injection.epoch != epoch or injection.status != "active":
                return
            self.set_level(injection, injection.error_rate * step / n, impact=True)

    def heal_after(self, injection, duration, epoch):
        yield self.env.timeout(duration)
        if injection.epoch == epoch and injection.active:
            self.remove(injection)

    def remove(self, injection):
        """Takes an injection out of action: its effect steps down per `recovers`."""
        injection.status = "recovering"
        injection.epoch += 1
        self.active_injections -= 1
        if injection.impacting:
            injection.impacting = False
            self.impacting -= 1
            if self.impacting == 0:
                self.mitigated = self.env.now
        injection.assigned = None
        start_level = injection.level
        n = injection.recover_steps
        if start_level == 0:
            injection.status = "finished"
            return
        if n == 1:
            injection.status = "finished"
            self.set_level(injection, 0.0)
            return
        self.set_level(injection, start_level * (n - 1) / n)
        self.env.process(self.recover(injection, start_level, injection.epoch))

    def recover(self, injection, start_level, epoch):
        n = injection.recover_steps
        start = self.env.now
        for step in range(2, n + 1):
            yield self.env.timeout(start + (step - 1) * injection.recover_over / (n - 1) - self.env.now)
            if injection.epoch != epoch or injection.status != "recovering":
                return
            self.set_level(injection, start_level * (n - step) / n)
        injection.status = "finished"

    # -- the retry storm (a cascade) -----------------------------------------------------------

    def storm_condition_met(self):
        if self.storm_drawn or self.storm.status != "not-occurred":
            return
        self.storm_drawn = True
        if self.rng.random() < self.belief("storm.probability", 0.30, 0.70):
            self.occur(self.storm)

    def storm_condition_ended(self):
        if self.storm.active:  # lasts: while_triggered
            self.remove(self.storm)

    # -- detection -----------------------------------------------------------------------------

    def alert_condition_met(self):
        # checkout-5xx-alert: 95% reliable, page after a lognormal delay.
        if self.alert_done:
            return
        self.alert_done = True
        self.state["checkout-5xx-alert"] = "failed"
        if self.chance("checkout-5xx-alert.works", 0.95):
            self.state["checkout-5xx-alert"] = "held"
            self.env.process(self.page_later("primary-oncall", lognormal(self.rng, 1 * MIN, 4 * MIN)))

    def probe_condition_met(self):
        # mobile-probe: checks every 5 minutes from a random phase; each check notices half the time.
        if self.probe_done:
            return
        if self.probe_phase is None:
            self.probe_phase = self.rng.uniform(0, 5 * MIN)
        self.state["mobile-probe"] = "failed"  # demanded: failed unless a check notices
        self.env.process(self.probe(self.probe_condition.episode))

    def probe(self, episode):
        now = self.env.now
        phase, every = self.probe_phase, 5 * MIN
        k = 1 if now <= phase else int(math.ceil((now - phase) / every)) + 1
        while True:
            yield self.env.timeout(phase + (k - 1) * every - self.env.now)
            c = self.probe_condition
            if self.probe_done or c.episode != episode or not c.satisfied:
                return
            if not self.chance("mobile-probe.works", 0.90):
                self.probe_done = True
                return
            if self.rng.random() < 0.50:
                self.probe_done = True
                self.state["mobile-probe"] = "held"
                self.page("primary-oncall")
                return
            k += 1

    def burn_changed(self):
        """web's error rate changed: note the breakpoint and find the next crossing."""
        if self.burn_done:
            return
        now = self.env.now
        area = self.burn_area[-1] + self.burn_values[-1] * (now - self.burn_times[-1])
        self.burn_times.append(now)
        self.burn_values.append(self.rate["web"])
        self.burn_area.append(area)
        self.burn_check()

    def burn_check(self):
        """The exact first time the 1-hour average of web's error rate exceeds 14.4 x (1 - 99.9%)."""
        window = 1 * HOUR
        target = 14.4 * (1 - 0.999) * window
        now = self.env.now
        self.burn_epoch += 1
        last = len(self.burn_times) - 1
        area_now = self.burn_area[last] + self.burn_values[last] * (now - self.burn_times[last])
        tail = now - window
        tail_rate, tail_area, next_break, next_tail = 0.0, 0.0, math.inf, 0
        if tail < 0:
            next_break = window  # the window's start reaches t = 0
        else:
            j = self.burn_tail
            while j + 1 <= last and self.burn_times[j + 1] <= tail:
                j += 1
            self.burn_tail = j
            tail_rate = self.burn_values[j]
            tail_area = self.burn_area[j] + tail_rate * (tail - self.burn_times[j])
            if j + 1 <= last:
                next_break = self.burn_times[j + 1] + window
                next_tail = j + 1
        area = area_now - tail_area
        slope = self.rate["web"] - tail_rate
        if area > target:
            self.burn_fire()
            return
        if slope > 0:
            crossing = now + (target - area) / slope
            if crossing <= next_break:
                self.env.process(self.burn_wake(crossing, self.burn_epoch, fire=True))
                return
        if next_break < math.inf:
            self.env.process(self.burn_wake(next_break, self.burn_epoch, fire=False, tail=next_tail))

    def burn_wake(self, at, epoch, fire, tail=0):
        yield self.env.timeout(max(0.0, at - self.env.now))
        if epoch != self.burn_epoch or self.burn_done:
            return
        if fire:
            self.burn_fire()
        else:
            self.burn_tail = max(self.burn_tail, tail)
            self.burn_check()

    def burn_fire(self):
        self.burn_done = True
        self.state["web-burn-alert"] = "failed"
        if self.chance("web-burn-alert.works", 0.90):
            self.state["web-burn-alert"] = "held"
            self.page("primary-oncall")

    # -- the automatic payments breaker --------------------------------------------------------

    def breaker_condition_met(self):
        if not self.breaker_armed or self.breaker_busy or self.breaker_done:
            return
        self.breaker_armed = False
        self.breaker_busy = True
        if self.detected is None:
            self.detected = self.env.now
        self.env.process(self.breaker_attempt())

    def breaker_condition_ended(self):
        self.breaker_armed = True

    def breaker_attempt(self):
        yield self.env.timeout(30)
        self.breaker_busy = False
        if self.rng.random() < 0.85:
            self.breaker_done = True
            if self.weight[("checkout", "payments")] > 0.20:
                self.weight[("checkout", "payments")] = 0.20
                self.level_changed = True
                self.settle()
            self.reassess_responders()
        elif not self.breaker_condition.holds:
            self.breaker_armed = True

    # -- responders ----------------------------------------------------------------------------

    def impact_ended(self):
        return self.active_injections == 0 and not self.customer_errors

    def page_later(self, name, delay):
        yield self.env.timeout(delay)
        self.page(name)

    def page(self, name):
        if self.impact_ended():
            return  # logged, not a detection, starts no work
        if self.detected is None:
            self.detected = self.env.now
        r = self.responders[name]
        if r.paged:
            return
        r.paged = True
        factor = 2.0 if self.night() else 1.0
        self.env.process(self.acknowledge_after(r, lognormal(self.rng, *r.ack) * factor))
        if r.escalate_after is not None:
            self.env.process(self.escalate_after(r))

    def acknowledge_after(self, r, delay):
        yield self.env.timeout(delay)
        if r.acknowledged:
            return
        r.acknowledged = True
        r.idle = True
        self.try_start_diagnosis(r)

    def escalate_after(self, r):
        yield self.env.timeout(r.escalate_after)
        if not r.acknowledged:
            self.page(r.escalates_to)

    def candidates(self, r):
        return [i for i in (self.bad_deploy, self.slow_db) if i.active and i.assigned is None]

    def reassess_responders(self):
        for r in (self.primary, self.secondary):
            if r.idle:
                self.try_start_diagnosis(r)

    def try_start_diagnosis(self, r):
        if r.idle and self.candidates(r):
            r.idle = False
            self.start_diagnosis(r)

    def become_idle(self, r):
        if not r.idle:
            r.idle = True
            self.try_start_diagnosis(r)

    def start_diagnosis(self, r):
        factor = 1.5 if self.night() else 1.0
        if r is self.primary:
            factor *= 1.8  # no-runbook
        r.work += 1
        self.env.process(self.diagnosis(r, lognormal(self.rng, *r.diagnose) * factor, r.work))

    def diagnosis(self, r, duration, work):
        yield self.env.timeout(duration)
        if r.work != work:
            return
        if self.rng.random() >= r.accuracy:  # misdiagnosis: costs the time, try again
            if self.candidates(r):
                self.start_diagnosis(r)
            else:
                self.become_idle(r)
            return
        # The cause whose removal would most reduce failed requests per second.
        best, best_reduction = None, -math.inf
        for i in self.candidates(r):
            reduction = self.failed_rate - self.failure_rate_without(i)
            if reduction > best_reduction:
                best, best_reduction = i, reduction
        if best is None:
            self.become_idle(r)
            return
        best.assigned = r
        r.assigned = best
        self.start_attempt(r, 0)

    def failure_rate_without(self, removed):
        rate = {}
        for s, _, _, deps in SERVICES:
            passing = 1.0
            for injection in self.injections:
                if injection.target == s and injection is not removed:
                    passing *= 1.0 - injection.level
            for d, _ in deps:
                passing *= 1.0 - self.weight[(s, d)] * rate[d]
            rate[s] = 1.0 - passing
        return sum(traffic * rate[s] for s, traffic in TRAFFIC)

    def start_attempt(self, r, position):
        target = r.assigned
        for offset in range(len(r.uses)):
            p = (position + offset) % len(r.uses)
            if self.removers[r.uses[p]] is target:
                break
        else:
            self.release(r)
            return
        mitigation = r.uses[p]
        self.attempts[mitigation] += 1
        r.position = p
        r.work += 1
        if mitigation == "rollback":
            takes = self.rng.triangular(3 * MIN, 15 * MIN, 5 * MIN)
        else:
            takes = self.rng.uniform(5 * MIN, 20 * MIN)
        self.env.process(self.attempt(r, mitigation, takes, r.work))

    def attempt(self, r, mitigation, takes, work):
        yield self.env.timeout(takes)
        if r.work != work:
            return
        reliability = 0.90 if mitigation == "rollback" else 0.80
        target = r.assigned
        if self.rng.random() < reliability:
            if target is not None and target.assigned is r:
                target.assigned = None
            r.assigned = None
            r.idle = True
            removed = self.removers[mitigation]
            if removed.active:
                self.remove(removed)
            self.reassess_responders()
            self.try_start_diagnosis(r)
        else:
            if target is None or not target.active:
                self.release(r)
                return
            self.start_attempt(r, r.position + 1)

    def release(self, r):
        if r.assigned is not None and r.assigned.assigned is r:
            r.assigned.assigned = None
        r.assigned = None
        self.become_idle(r)

    # -- a whole trial -------------------------------------------------------------------------

    def run(self):
        self.schedule_injections()
        self.env.run(until=HORIZON)
        self.failed += self.failed_rate * (HORIZON - self.clock)
        if self.impacting > 0:
            self.mitigated = None
        if self.occurred == 0:
            outcome = "no-fault"
        elif self.prevented == self.occurred:
            outcome = "prevented"
        else:
            outcome = "incident" if self.failed > 0 else "contained"

        def relative(t):
            if self.first_impact is None or t is None:
                return None
            return max(0.0, t - self.first_impact)

        return outcome, self.first_impact is not None, relative(self.detected), relative(self.mitigated), self.failed, self.state


def summary(values, impacted=None):
    """n, censored, mean, its standard error, and p50/p90 by nearest rank, with the sorted sample."""
    n = len(values)
    result = {"n": n}
    if impacted is not None:
        result["censored"] = impacted - n
    if n == 0:
        return result
    mean = sum(values) / n
    variance = sum((v - mean) ** 2 for v in values) / (n - 1) if n > 1 else 0.0
    ordered = sorted(values)
    result.update(mean=mean, se=math.sqrt(variance / n))
    for name, p in (("p50", 0.5), ("p90", 0.9)):
        rank = max(1, math.ceil(p * n))
        result[name] = ordered[rank - 1]
        # Distribution-free 99.9% interval from order-statistic ranks (normal approximation).
        z = 3.2905267314919255
        half = z * math.sqrt(n * p * (1 - p))
        low, high = max(1, math.floor(n * p - half)), min(n, math.ceil(n * p + half) + 1)
        result[name + "_ci999"] = [ordered[low - 1], ordered[high - 1]]
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    outcomes = {"no-fault": 0, "prevented": 0, "contained": 0, "incident": 0}
    detect, mitigate, failed = [], [], []
    impacted = 0
    barriers = {b: {"held": 0, "failed": 0} for b in ("checkout-5xx-alert", "web-burn-alert", "mobile-probe")}
    started = time.perf_counter()
    cpu_started = time.process_time()
    for _ in range(args.trials):
        outcome, impact, ttd, ttm, failed_requests, state = Trial(rng).run()
        outcomes[outcome] += 1
        for barrier, result in state.items():
            barriers[barrier][result] += 1
        impacted += impact
        if ttd is not None:
            detect.append(ttd)
        if ttm is not None:
            mitigate.append(ttm)
        failed.append(failed_requests)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    json.dump({
        "model": "Benchmarks/peers/reference_simpy.py",
        "simpy": simpy.__version__,
        "python": sys.version.split()[0],
        "trials": args.trials,
        "seed": args.seed,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "trials_per_second": args.trials / elapsed,
        "trials_per_cpu_second": args.trials / cpu,
        "outcomes": outcomes,
        "trials_with_impact": impacted,
        "barriers": barriers,
        "metrics": {
            "time_to_detect": summary(detect, impacted),
            "time_to_mitigate": summary(mitigate, impacted),
            "failed_requests": summary(failed),
        },
    }, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
