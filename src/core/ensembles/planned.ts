import { combineWith, type Combiner } from './combine';
import { outputWidth, type MemberOutputs } from './evaluate';
import {
  MemberFailed,
  type EnsembleMethodModule,
  type MemberPlan,
  type MethodContext,
  type MethodResult,
  type PlanContext,
} from './plan';

/**
 * A method whose members can all be planned before any trains (voting, averaging, bagging):
 * each plan trains on its own, a failed member is left out, and the rest are combined by the
 * config's rule and weights.
 */
export function plannedMethod(plan: (context: PlanContext) => MemberPlan[]): EnsembleMethodModule {
  return {
    members: (context) => plan(context).map((p) => ({ name: p.name, kind: p.spec.model })),
    trainsAtOnce: true,
    run: async (context) => {
      const plans = plan({ config: context.config, train: context.data.train, rng: context.rng });
      return combineByRule(context, await trainEach(context, plans));
    },
  };
}

/**
 * Trains every plan, up to `context.parallel` at once, and returns the members that trained in
 * plan order; members that fail are skipped (the run has recorded them). A cancel or another
 * error is thrown once every member in flight has settled, so none is left half recorded.
 */
export async function trainEach(
  context: MethodContext,
  plans: MemberPlan[],
): Promise<MemberOutputs[]> {
  const outputs = await trainEachOrFail(context, plans);
  return outputs.flatMap((o) => (o ? [o] : []));
}

/**
 * Like {@link trainEach}, but gives one entry per plan, in plan order: its outputs, or
 * undefined when that member failed, so a method can tell which of its plans are missing.
 */
export async function trainEachOrFail(
  context: MethodContext,
  plans: MemberPlan[],
): Promise<(MemberOutputs | undefined)[]> {
  const lanes = balancedLanes(plans.length, context.parallel, context.inFlight ?? context.parallel);
  const settled = await settleAtOnce(plans, lanes, (plan) => context.trainMember(plan));

  const fatal = settled.find((s) => s.status === 'rejected' && !(s.reason instanceof MemberFailed));
  if (fatal?.status === 'rejected') throw fatal.reason;
  return settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
}

/**
 * How many of `count` members of about equal cost to keep in flight, between `cores` and
 * `most`, when the members in flight share `cores` cores in turns: the fewest that finish
 * soonest. Five members on two cores: two at a time take three member-times (the fifth trains
 * alone on one core); three at a time take two and a half (three share two cores, then two).
 */
export function balancedLanes(count: number, cores: number, most: number): number {
  let best = Math.min(cores, count);
  let bestTime = Infinity;
  for (let lanes = best; lanes <= Math.min(most, count); lanes++) {
    const rounds = Math.floor(count / lanes);
    const rest = count % lanes;
    const time = (rounds * lanes) / cores + (rest === 0 ? 0 : Math.max(1, rest / cores));
    if (time < bestTime - 1e-9) [best, bestTime] = [lanes, time];
  }
  return Math.max(1, best);
}

/**
 * Runs `work` on every item, at most `limit` at once, starting them in order, and gives every
 * outcome in item order once all have settled (a failure does not stop the others, so nothing
 * is left running when the caller throws).
 */
export async function settleAtOnce<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const settled: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      settled[i] = await work(items[i], i).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  const lanes = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return settled;
}

/**
 * Trains one member, or gives undefined when it failed (the run has recorded why): a
 * sequential method then stops adding members and keeps the ones before it.
 */
export async function trainUnlessFailed(
  context: MethodContext,
  plan: MemberPlan,
): Promise<MemberOutputs | undefined> {
  try {
    return await context.trainMember(plan);
  } catch (error) {
    if (error instanceof MemberFailed) return undefined;
    throw error;
  }
}

/** Combines members by the config's rule, with its weights for `weighted`, equal otherwise. */
export function combineByRule(context: MethodContext, members: MemberOutputs[]): MethodResult {
  const weights = configuredWeights(context, members);
  const combiner: Combiner = {
    kind: 'rule',
    rule: context.config.ensemble.combine,
    width: outputWidth(context.data.train),
    weights,
  };
  const notes = Object.fromEntries(members.map((m, i) => [m.plan.name, { weight: weights[i] }]));
  return { members, others: [], notes, combiner, combined: combineSplits(combiner, members) };
}

/** The combined test and validation outputs of some members. */
export function combineSplits(
  combiner: Combiner,
  members: MemberOutputs[],
): MethodResult['combined'] {
  const test = combineWith(
    combiner,
    members.map((m) => m.test),
  );
  const hasValidation = members.length > 0 && members.every((m) => m.validation?.length);
  const validation = hasValidation
    ? combineWith(
        combiner,
        members.map((m) => m.validation as Float32Array),
      )
    : undefined;
  return { test, validation };
}

/** The configured weights of the members that trained, normalized; equal when none. */
function configuredWeights(context: MethodContext, members: MemberOutputs[]): number[] {
  const { ensemble } = context.config;
  const configured = ensemble.combine === 'weighted' ? ensemble.weights : undefined;
  const names = context.config.members.map((s) => s.name);
  const raw = members.map((m) => (configured ? configured[names.indexOf(m.plan.name)] : 1));
  const total = raw.reduce((s, w) => s + w, 0);
  return raw.map((w) => w / total);
}
