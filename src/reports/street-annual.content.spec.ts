import { gradeOrder, levelChanges, starOrder } from './street-annual.content.js';

describe('changes since the previous period', () => {
  it('counts stars up, same, down, newly rated and no longer rated', () => {
    const changes = levelChanges(
      [
        { inPrevious: true, previous: 3, current: 4, count: 2 },
        { inPrevious: true, previous: 4, current: 4, count: 5 },
        { inPrevious: true, previous: 5, current: 0, count: 1 },
        { inPrevious: true, previous: null, current: 2, count: 1 },
        { inPrevious: false, previous: null, current: 3, count: 4 },
        { inPrevious: true, previous: 2, current: null, count: 3 },
        { inPrevious: false, previous: null, current: null, count: 9 },
      ],
      starOrder,
    );
    expect(changes).toEqual({ up: 2, same: 5, down: 1, newlyRated: 5, noLongerRated: 3 });
  });

  it('orders grades best first', () => {
    const order = gradeOrder(['AAA', 'AA', 'A', 'B', 'C']);
    const changes = levelChanges(
      [
        { inPrevious: true, previous: 'A', current: 'AA', count: 1 },
        { inPrevious: true, previous: 'AAA', current: 'C', count: 2 },
      ],
      order,
    );
    expect(changes).toMatchObject({ up: 1, down: 2 });
  });
});
