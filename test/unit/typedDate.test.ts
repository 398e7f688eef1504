import { expect } from 'chai';
import { datePartsInError, isoDateFrom } from '../../domain/typedDate.ts';

const typed = (month: string, day: string, year: string) => ({ month, day, year });

describe('a date typed in three boxes', () => {
  it('is a calendar date, missing, or invalid', () => {
    expect(isoDateFrom(typed('3', '7', '2012'))).to.equal('2012-03-07');
    expect(isoDateFrom(typed('', '', ''))).to.equal('');
    expect(isoDateFrom(typed('2', '29', '2024'))).to.equal('2024-02-29');
    for (const wrong of [typed('2', '29', '2023'), typed('2', '31', '2015'), typed('13', '1', '2015'), typed('3', '', '2015'), typed('3', '7', '12'), typed('3', 'x', '2015')]) {
      expect(isoDateFrom(wrong), JSON.stringify(wrong)).to.equal('invalid');
    }
  });

  it('names the boxes to mark: empty, malformed or out of range ones; the day of a date that does not exist', () => {
    expect(datePartsInError(typed('3', '', '2012'))).to.deep.equal(['day']);
    expect(datePartsInError(typed('', '7', ''))).to.deep.equal(['month', 'year']);
    expect(datePartsInError(typed('13', '7', '12'))).to.deep.equal(['month', 'year']);
    expect(datePartsInError(typed('3', '32', '2012'))).to.deep.equal(['day']);
    expect(datePartsInError(typed('0', '7', '2012'))).to.deep.equal(['month']);
    expect(datePartsInError(typed('2', '31', '2015'))).to.deep.equal(['day']);
    expect(datePartsInError(typed('2', '29', '2023'))).to.deep.equal(['day']);
  });

  it('gives none (every box) when all are wrong, or the date is real but refused as a whole', () => {
    expect(datePartsInError(typed('', '', ''))).to.deep.equal([]);
    expect(datePartsInError(undefined)).to.deep.equal([]);
    expect(datePartsInError(typed('a', 'b', 'c'))).to.deep.equal([]);
    expect(datePartsInError(typed('3', '7', '2099'))).to.deep.equal([]);
  });
});
