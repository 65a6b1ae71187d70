// ml-logistic-regression 2.0.0 ships no type declarations; this is the part limekit uses.
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  interface TwoClasses {
    /** Sigmoid of X·wᵀ: the probability that a row is NOT of the class this classifier was built for. */
    testScores(features: Matrix): number[];
  }
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    classifiers: TwoClasses[];
    train(X: Matrix, Y: Matrix): void;
    predict(X: Matrix): number[];
    toJSON(): object;
    static load(model: unknown): LogisticRegression;
  }
}
