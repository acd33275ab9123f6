import type { EnsembleConfig, MemberKind } from '../config/types';
import type { PreparedData } from '../data/types';
import type { MemberOutputs } from '../ensembles/evaluate';
import { memberView } from '../ensembles/member-view';
import type { MemberPlan } from '../ensembles/plan';
import type { FitInput, FitOutput } from '../members/kind';
import { memberKind } from '../members/kinds';
import type { Logger } from '../log';
import { mergeTraining } from '../training/train';

/**
 * Fits one member: `memberKind(kind).fit` on this thread, or the same fit somewhere else (the
 * trainer's worker threads), with the same answer.
 */
export type MemberFit = (kind: MemberKind, input: FitInput) => Promise<FitOutput>;

/** Fits on this thread. */
export const fitOnThisThread: MemberFit = (kind, input) => memberKind(kind).fit(input);

/**
 * Trains one member on `data` and returns its outputs on every split, keeping nothing on
 * disk: for evaluations that train an ensemble again and again (cross-validation, the
 * bias-variance decomposition), where only the scores are kept. `fit` says where it trains.
 */
export async function trainInMemory(
  plan: MemberPlan,
  config: EnsembleConfig,
  data: PreparedData,
  logger: Logger,
  fit: MemberFit = fitOnThisThread,
): Promise<MemberOutputs> {
  const view = memberView(plan.data ?? data, plan);
  const { model, result, details } = await fit(plan.spec.model, {
    spec: plan.spec,
    train: view.train,
    validation: view.validation,
    rows: plan.rows,
    sampleWeights: plan.sampleWeights,
    targets: plan.targets,
    training: plan.training ?? mergeTraining(config.training, plan.spec.training),
    seed: plan.seed,
    initialWeights: plan.initialWeights,
    branches: plan.branches,
    logger,
  });

  try {
    return {
      plan,
      kind: plan.spec.model,
      test: model.predict(view.test),
      validation: view.validation.rows > 0 ? model.predict(view.validation) : undefined,
      train: plan.predictTrain ? model.predict(view.train) : undefined,
      weights: plan.keepWeights ? model.weights?.() : undefined,
      details: {
        fitMs: result.fitMs,
        epochsRun: result.epochsRun,
        parameters: model.parameters,
        ...details,
      },
    };
  } finally {
    model.dispose();
  }
}
