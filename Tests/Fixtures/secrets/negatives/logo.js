// Inline assets so the checkout page renders before the CDN answers.
export const LOGO = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hRnppjQS9g4QdU61Kbl70j1po2VyntrhhBfTNBSz/9Np7aG9XaDFOtcHru5GoPtfpyEK8IxOdd2eGp+FKLoFzie8y5NFbJUGqINVWOrIvx5KAKYEGYeje9JSXodudifwH2D0HFym6oKm5ifDckmVgzcUWW2NUCHleEV09p3d81Koqsz2NnKyNsjJqOBSuJGhBmk12Kt5D";

export const PRODUCTS = [
  { id: "2b274506-5238-4d39-86c6-d1d240822dc1", name: "Basic", price: 900 },
  { id: "d06dcfa8-e50b-4e8c-a269-63cdb87ee7fe", name: "Team", price: 2900 },
  { id: "6f0a5680-a013-4a5a-a42e-0fb84e9f39b5", name: "Enterprise", price: 9900 },
];

export const SESSION_NAMESPACE = "f0d75672-5f80-4c5c-a032-d7d6dce983b3";
