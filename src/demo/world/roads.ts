/** Roads of the world on which checkpoints and weighing stations stand. */
export type RoadKind = 'EXPRESSWAY' | 'URBAN_EXPRESSWAY' | 'ARTERIAL';

export interface Road {
  name: string;
  kind: RoadKind;
  /** Direction of travel the road carries; a ring road carries all four. */
  axis: 'NS' | 'EW' | 'RING';
  /** District codes (credit-code form) the road crosses. */
  districts: readonly string[];
  /** Relative share of checkpoints. */
  weight: number;
}

export const ROADS: readonly Road[] = [
  { name: 'G2京沪高速', kind: 'EXPRESSWAY', axis: 'EW', districts: ['320507', '320505', '320594', '320583'], weight: 10 },
  { name: 'G15沈海高速', kind: 'EXPRESSWAY', axis: 'NS', districts: ['320582', '320581', '320585'], weight: 8 },
  { name: 'S17苏嘉杭高速', kind: 'EXPRESSWAY', axis: 'NS', districts: ['320507', '320594', '320506', '320509'], weight: 8 },
  { name: 'G1521常嘉高速', kind: 'EXPRESSWAY', axis: 'NS', districts: ['320581', '320583', '320509'], weight: 5 },
  { name: 'G50沪渝高速', kind: 'EXPRESSWAY', axis: 'EW', districts: ['320509'], weight: 5 },
  { name: 'S58沪常高速', kind: 'EXPRESSWAY', axis: 'EW', districts: ['320581', '320585'], weight: 4 },
  { name: '苏州绕城高速', kind: 'EXPRESSWAY', axis: 'RING', districts: ['320505', '320506', '320507', '320594'], weight: 7 },
  { name: '沿江高速', kind: 'EXPRESSWAY', axis: 'EW', districts: ['320582', '320581', '320585'], weight: 5 },
  { name: 'G312国道', kind: 'ARTERIAL', axis: 'EW', districts: ['320505', '320507', '320594', '320583'], weight: 7 },
  { name: 'G204国道', kind: 'ARTERIAL', axis: 'NS', districts: ['320581', '320585'], weight: 5 },
  { name: 'S227省道', kind: 'ARTERIAL', axis: 'NS', districts: ['320581', '320506'], weight: 3 },
  { name: '苏虞张公路', kind: 'ARTERIAL', axis: 'NS', districts: ['320507', '320581', '320582'], weight: 4 },
  { name: '中环快速路', kind: 'URBAN_EXPRESSWAY', axis: 'RING', districts: ['320508', '320594', '320506', '320507', '320505'], weight: 10 },
  { name: '南环快速路', kind: 'URBAN_EXPRESSWAY', axis: 'EW', districts: ['320508', '320506'], weight: 4 },
  { name: '东环快速路', kind: 'URBAN_EXPRESSWAY', axis: 'NS', districts: ['320508', '320594'], weight: 4 },
];

/** Lanes per direction. */
export const LANES: Record<RoadKind, readonly [number, number]> = {
  EXPRESSWAY: [3, 4],
  URBAN_EXPRESSWAY: [3, 3],
  ARTERIAL: [2, 3],
};
