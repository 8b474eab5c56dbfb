// The part of d3-contour this webview uses (the package ships no types).
declare module 'd3-contour' {
  export interface ContourMultiPolygon {
    type: 'MultiPolygon';
    value: number;
    coordinates: number[][][][];
  }
  export interface Contours {
    (values: ArrayLike<number>): ContourMultiPolygon[];
    size(size: [number, number]): Contours;
    thresholds(t: number | number[]): Contours;
    smooth(smooth: boolean): Contours;
  }
  export function contours(): Contours;
}
