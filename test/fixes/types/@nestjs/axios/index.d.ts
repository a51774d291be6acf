// The parts of @nestjs/axios 4 that authlint's fixes and rule cases use, with the signatures of its
// declarations (dist/http.service.d.ts): axios's calls, each answered with an Observable.
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import type { Observable } from 'rxjs';
export declare class HttpService {
  readonly axiosRef: AxiosInstance;
  request<T = any>(config: AxiosRequestConfig): Observable<AxiosResponse<T>>;
  get<T = any>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>>;
  delete<T = any>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>>;
  head<T = any>(url: string, config?: AxiosRequestConfig): Observable<AxiosResponse<T>>;
  post<T = any>(url: string, data?: any, config?: AxiosRequestConfig): Observable<AxiosResponse<T>>;
  put<T = any>(url: string, data?: any, config?: AxiosRequestConfig): Observable<AxiosResponse<T>>;
  patch<T = any>(url: string, data?: any, config?: AxiosRequestConfig): Observable<AxiosResponse<T>>;
}
export declare class HttpModule {}
