/** The GA 802 vehicle types the world uses, with the axle counts and rated total masses each is built with. */
export type VehicleClass = 'CAR' | 'BUS' | 'HEAVY_TRUCK' | 'MEDIUM_TRUCK' | 'LIGHT_TRUCK' | 'TRACTOR' | 'TRAILER';

export interface VehicleBuild {
  axles: number;
  /** Rated total mass range in kg; heavy rigid trucks are built up to their axle limit. */
  massKg: readonly [number, number];
}

export interface VehicleType {
  code: string;
  name: string;
  vehicleClass: VehicleClass;
  builds: readonly VehicleBuild[];
  /** Tankers for dangerous goods: never general cargo, so never exempt from the certificate. */
  dangerousGoods: boolean;
}

const TYPES: readonly VehicleType[] = [
  { code: 'K33', name: '小型轿车', vehicleClass: 'CAR', builds: [{ axles: 2, massKg: [1400, 2400] }], dangerousGoods: false },
  { code: 'K31', name: '小型普通客车', vehicleClass: 'CAR', builds: [{ axles: 2, massKg: [2000, 3200] }], dangerousGoods: false },
  {
    code: 'K11',
    name: '大型普通客车',
    vehicleClass: 'BUS',
    builds: [
      { axles: 2, massKg: [14000, 18000] },
      { axles: 3, massKg: [20000, 25000] },
    ],
    dangerousGoods: false,
  },
  { code: 'K21', name: '中型普通客车', vehicleClass: 'BUS', builds: [{ axles: 2, massKg: [5000, 9000] }], dangerousGoods: false },
  {
    code: 'H11',
    name: '重型普通货车',
    vehicleClass: 'HEAVY_TRUCK',
    builds: [
      { axles: 2, massKg: [12000, 18000] },
      { axles: 3, massKg: [25000, 25000] },
      { axles: 4, massKg: [31000, 31000] },
    ],
    dangerousGoods: false,
  },
  {
    code: 'H12',
    name: '重型厢式货车',
    vehicleClass: 'HEAVY_TRUCK',
    builds: [
      { axles: 2, massKg: [12000, 18000] },
      { axles: 3, massKg: [25000, 25000] },
      { axles: 4, massKg: [31000, 31000] },
    ],
    dangerousGoods: false,
  },
  {
    code: 'H17',
    name: '重型自卸货车',
    vehicleClass: 'HEAVY_TRUCK',
    builds: [
      { axles: 3, massKg: [25000, 25000] },
      { axles: 4, massKg: [31000, 31000] },
    ],
    dangerousGoods: false,
  },
  {
    code: 'H19',
    name: '重型仓栅式货车',
    vehicleClass: 'HEAVY_TRUCK',
    builds: [
      { axles: 2, massKg: [16000, 18000] },
      { axles: 3, massKg: [25000, 25000] },
      { axles: 4, massKg: [31000, 31000] },
    ],
    dangerousGoods: false,
  },
  {
    code: 'H14',
    name: '重型罐式货车',
    vehicleClass: 'HEAVY_TRUCK',
    builds: [
      { axles: 2, massKg: [18000, 18000] },
      { axles: 3, massKg: [25000, 25000] },
      { axles: 4, massKg: [31000, 31000] },
    ],
    dangerousGoods: true,
  },
  { code: 'H21', name: '中型普通货车', vehicleClass: 'MEDIUM_TRUCK', builds: [{ axles: 2, massKg: [5000, 11990] }], dangerousGoods: false },
  { code: 'H22', name: '中型厢式货车', vehicleClass: 'MEDIUM_TRUCK', builds: [{ axles: 2, massKg: [5000, 11990] }], dangerousGoods: false },
  { code: 'H24', name: '中型罐式货车', vehicleClass: 'MEDIUM_TRUCK', builds: [{ axles: 2, massKg: [7000, 11990] }], dangerousGoods: true },
  { code: 'H31', name: '轻型普通货车', vehicleClass: 'LIGHT_TRUCK', builds: [{ axles: 2, massKg: [2500, 4495] }], dangerousGoods: false },
  { code: 'H32', name: '轻型厢式货车', vehicleClass: 'LIGHT_TRUCK', builds: [{ axles: 2, massKg: [2500, 4495] }], dangerousGoods: false },
  {
    code: 'Q11',
    name: '重型半挂牵引车',
    vehicleClass: 'TRACTOR',
    builds: [
      { axles: 2, massKg: [18000, 18000] },
      { axles: 3, massKg: [25000, 25000] },
    ],
    dangerousGoods: false,
  },
  {
    code: 'B11',
    name: '重型普通半挂车',
    vehicleClass: 'TRAILER',
    builds: [
      { axles: 2, massKg: [28000, 32000] },
      { axles: 3, massKg: [35000, 40000] },
    ],
    dangerousGoods: false,
  },
  { code: 'B12', name: '重型厢式半挂车', vehicleClass: 'TRAILER', builds: [{ axles: 3, massKg: [35000, 40000] }], dangerousGoods: false },
  { code: 'B13', name: '重型罐式半挂车', vehicleClass: 'TRAILER', builds: [{ axles: 3, massKg: [35000, 40000] }], dangerousGoods: true },
];

const BY_CODE = new Map(TYPES.map((t) => [t.code, t]));

export function vehicleType(code: string): VehicleType {
  const type = BY_CODE.get(code);
  if (!type) throw new RangeError(`vehicle type ${code} is not in the world's catalogue`);
  return type;
}
