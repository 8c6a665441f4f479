import { PlateColor } from '../canonical/codes';
import { jttCodeFromPlateColor, plateColorFromJttCode } from './plate-color';

describe('plate colour JT/T codes', () => {
  it.each([
    [0, PlateColor.UNPLATED],
    [1, PlateColor.BLUE],
    [2, PlateColor.YELLOW],
    [3, PlateColor.BLACK],
    [4, PlateColor.WHITE],
    [5, PlateColor.GREEN],
    [9, PlateColor.OTHER],
    [91, PlateColor.AGRICULTURAL_YELLOW],
    [92, PlateColor.AGRICULTURAL_GREEN],
    [93, PlateColor.YELLOW_GREEN],
    [94, PlateColor.GRADIENT_GREEN],
  ])('%i ↔ %s', (code, color) => {
    expect(plateColorFromJttCode(code)).toBe(color);
    expect(jttCodeFromPlateColor(color)).toBe(code);
  });

  it.each([6, 8, 10, 90, 95, -1])('has no colour for %i', (code) => {
    expect(plateColorFromJttCode(code)).toBeNull();
  });
});
