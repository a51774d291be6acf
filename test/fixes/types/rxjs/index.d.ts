// The parts of rxjs 7 that authlint's rule cases use (dist/types/internal/Observable.d.ts, firstValueFrom.d.ts, lastValueFrom.d.ts).
export declare class Observable<T> {
  subscribe(next?: (value: T) => void): { unsubscribe(): void };
  pipe(): Observable<T>;
  pipe<A>(op1: (source: Observable<T>) => Observable<A>): Observable<A>;
}
export declare function firstValueFrom<T>(source: Observable<T>): Promise<T>;
export declare function lastValueFrom<T>(source: Observable<T>): Promise<T>;
