// The parts of ml-cart 2.1 that src/core/members/tree.ts uses; the package ships no types.
declare module 'ml-cart' {
  /** A fitted node; a leaf's `distribution` is a 1 x classes row (classifier) or a mean. */
  export interface CartNode {
    classify(row: number[]): { getRow(index: number): number[] } | number;
  }

  export interface CartOptions {
    gainFunction?: 'gini' | 'regression';
    minNumSamples?: number;
    maxDepth?: number;
    gainThreshold?: number;
  }

  export class DecisionTreeClassifier {
    constructor(options?: CartOptions);
    root: CartNode;
    train(x: number[][], y: number[]): void;
    predict(x: number[][]): number[];
    toJSON(): object;
    static load(model: object): DecisionTreeClassifier;
  }

  export class DecisionTreeRegression {
    constructor(options?: CartOptions);
    root: CartNode;
    train(x: number[][], y: number[]): void;
    predict(x: number[][]): number[];
    toJSON(): object;
    static load(model: object): DecisionTreeRegression;
  }
}
